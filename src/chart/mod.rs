//! Chart maths for time series, apart from any drawing: axis ranges and ticks, projection to device
//! pixels, gap splitting and min/max (M4) decimation. Pure and tested natively; [`crate::draw`]
//! turns its output into plotters calls.

mod decimate;
mod gradient;
mod layout;
mod project;
mod segments;
mod spec;
mod ticks;

pub use decimate::decimate_m4;
pub use gradient::*;
pub use layout::*;
pub use project::*;
pub use segments::*;
pub use spec::*;
pub use ticks::{NiceTicks, nice_ticks, time_ticks};

#[cfg(test)]
mod tests;
