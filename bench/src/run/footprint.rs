//! The footprint: binary size, time to ready and idle memory, measured first
//! on a quiet machine.

use super::context::{Ctx, FOOT_API};
use anyhow::Result;
use std::time::Duration;

pub async fn footprint(cx: &mut Ctx) -> Result<()> {
    eprintln!("bench: footprint");
    let bin = std::fs::metadata(&cx.o.igny8)?.len();
    cx.figs.single("footprint.binary_bytes", bin as f64);
    let stripped = std::env::temp_dir().join("igny8-bench-stripped");
    if std::process::Command::new("strip")
        .arg("-o")
        .arg(&stripped)
        .arg(&cx.o.igny8)
        .status()
        .is_ok_and(|s| s.success())
    {
        cx.figs.single(
            "footprint.binary_stripped_bytes",
            std::fs::metadata(&stripped)?.len() as f64,
        );
        let _ = std::fs::remove_file(&stripped);
    }
    for _ in 0..cx.o.rounds {
        let p = cx.start_igny8("footprint", FOOT_API, true, &[]).await?;
        cx.figs
            .push("footprint.ready_ms", p.ready_after.as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_secs(2)).await;
        cx.figs.push("footprint.idle_rss_kib", p.rss_kib() as f64);
        p.stop().await;
    }
    Ok(())
}
