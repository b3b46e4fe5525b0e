//! promboard: Grafana-compatible Prometheus dashboards as a static WebAssembly app.
//!
//! Data flows one way (see ARCHITECTURE.md):
//! [`model`] (raw, lossless JSON) → [`migrate`] (Grafana's schema migrations, on a copy) → [`view`] (normalised for rendering) → [`query`] (pure plan) →
//! [`prom`] (wire types; its client is the only network I/O) → [`field`] (display values) →
//! [`chart`] (pure chart maths) → [`draw`] (plotters, generic over the backend) → `app` (Leptos UI,
//! the canvas, wasm32 only).
//!
//! Everything except `app` and `prom::client` is plain Rust, compiled and tested natively.

pub mod annotations;
pub mod chart;
pub mod data;
pub mod datasource;
pub mod datasource_secrets;
pub mod draw;
pub mod edit;
pub mod explore;
pub mod export;
pub mod field;
pub mod import;
pub mod interval;
pub mod json;
pub mod jsregex;
pub mod migrate;
pub mod model;
pub mod operations;
pub mod panel_types;
pub mod panels;
pub mod prom;
pub mod provisioning;
pub mod query;
pub mod reducers;
pub mod route;
pub mod safe_url;
pub mod save;
pub mod sorting;
pub mod support;
pub mod time;
pub mod variables;
pub mod view;
pub mod yaml;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
