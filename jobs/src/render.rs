//! Prompt templates render off the async runtime: on the blocking pool, at
//! most [`slots`] at once, each within `RENDER_TIME_LIMIT` (queueing
//! included) and with its output bounded while it is written
//! (`igny8_core::ai::templates::render_until`). A tenant's template can
//! therefore never stall the runtime that answers `/healthz` and drives
//! the jobs; a render that ignores its deadline keeps its slot until it
//! ends, so such renders hold at most [`slots`] threads.

use igny8_core::ai::templates::{self, RENDER_TIME_LIMIT, TemplateError};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::Instant;

static RENDERING: AtomicUsize = AtomicUsize::new(0);

/// Renders running now (for tests and diagnostics).
pub fn in_progress() -> usize {
    RENDERING.load(Ordering::Relaxed)
}

/// Renders that may run at once: half the cores, at least two.
pub fn slots() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get() / 2)
        .max(2)
}

fn pool() -> Arc<Semaphore> {
    static POOL: OnceLock<Arc<Semaphore>> = OnceLock::new();
    POOL.get_or_init(|| Arc::new(Semaphore::new(slots())))
        .clone()
}

struct Rendering;

impl Rendering {
    fn start() -> Rendering {
        RENDERING.fetch_add(1, Ordering::Relaxed);
        Rendering
    }
}

impl Drop for Rendering {
    fn drop(&mut self) {
        RENDERING.fetch_sub(1, Ordering::Relaxed);
    }
}

fn late() -> TemplateError {
    TemplateError {
        line: None,
        message: format!(
            "the template took longer than {} s to render",
            RENDER_TIME_LIMIT.as_secs_f32()
        ),
    }
}

/// Renders `template` over `vars` on the render pool.
pub async fn render(template: String, vars: Value) -> Result<String, TemplateError> {
    let deadline = Instant::now() + RENDER_TIME_LIMIT;
    let permit = match tokio::time::timeout_at(deadline, pool().acquire_owned()).await {
        Ok(Ok(p)) => p,
        _ => return Err(late()),
    };
    let until = deadline.into_std();
    let task = tokio::task::spawn_blocking(move || {
        let _slot = permit;
        let _rendering = Rendering::start();
        templates::render_until(&template, &vars, until)
    });
    // the render checks its deadline itself; this bound is for one that
    // cannot (it keeps its slot, the job does not wait for it)
    match tokio::time::timeout_at(deadline + Duration::from_secs(1), task).await {
        Ok(Ok(r)) => r,
        Ok(Err(_)) => Err(TemplateError {
            line: None,
            message: "the template renderer crashed".into(),
        }),
        Err(_) => Err(late()),
    }
}
