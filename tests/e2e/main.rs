//! End-to-end tests: the release build behind nginx (deploy/nginx.conf), a real Prometheus over a
//! deterministic history, and headless Chromium. Run by `scripts/test`, which builds the app first.
//!
//! A custom harness (libtest-mimic) so that the processes are started once, shared by the
//! scenarios, and stopped at the end; the output and exit code are libtest's.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a test harness reports on stdout")]

mod annotations;
mod browser;
mod catalogue;
mod community;
mod development;
mod editing;
mod editing_defects;
mod explore;
mod faults;
mod fixture;
mod hostile;
mod news;
#[allow(dead_code, reason = "the benchmark's histories; the end-to-end tests use the node exporter's")]
#[path = "../../benches/browser/data.rs"]
mod node_data;
mod operations;
mod panels;
mod saving;
mod scale_out;
mod scenarios;
mod schema_v2;
mod security;
mod stack;
mod standin;

use libtest_mimic::{Arguments, Failed, Trial};
use stack::{ChromeDriver, FixtureBlocks, Stack};
use std::future::Future;
use std::sync::Arc;

/// What every scenario gets: the shared stack and a way to run async code.
pub struct World {
    pub blocks: FixtureBlocks,
    pub stack: Stack,
    pub chromedriver: ChromeDriver,
    pub runtime: tokio::runtime::Runtime,
}

impl World {
    fn start() -> stack::Result<World> {
        let blocks = FixtureBlocks::create()?;
        let stack = Stack::start(&blocks)?;
        let chromedriver = ChromeDriver::start()?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        Ok(World { blocks, stack, chromedriver, runtime })
    }

    pub fn block_on<F: Future<Output = stack::Result<()>>>(&self, future: F) -> stack::Result<()> {
        self.runtime.block_on(future)
    }
}

type Scenario = fn(&World) -> stack::Result<()>;

fn main() {
    let mut arguments = Arguments::from_args();
    // The scenarios share one browser driver and one Prometheus; run them one at a time.
    arguments.test_threads = Some(1);
    let scenarios: Vec<(&str, Scenario)> = scenarios::all();

    let world = if arguments.list {
        None
    } else {
        match World::start() {
            Ok(world) => Some(Arc::new(world)),
            Err(error) => {
                eprintln!("end-to-end stack failed to start: {error}");
                std::process::exit(1);
            }
        }
    };
    let trials = scenarios
        .into_iter()
        .map(|(name, scenario)| {
            let world = world.clone();
            Trial::test(name, move || {
                let world = world.as_ref().ok_or_else(|| Failed::from("no stack"))?;
                scenario(world).map_err(|error| Failed::from(error.to_string()))
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&arguments, trials);
    drop(world);
    conclusion.exit();
}
