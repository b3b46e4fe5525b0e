//! Panel kinds other than the time series: what each shows, computed from the query results and
//! the panel's options. Pure (no leptos): the app renders the returned values.

pub mod alertlist;
pub mod annolist;
pub mod barchart;
pub mod candlestick;
pub mod dashlist;
pub mod frame;
pub mod gauge;
pub mod heatmap;
pub mod histogram;
pub mod inspect;
pub mod news;
pub mod options;
pub mod pie;
pub mod stat;
pub mod state_timeline;
pub mod svg;
pub mod table;
pub mod text;
pub mod timeseries;
pub mod xychart;
