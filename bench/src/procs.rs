//! Starting and stopping the servers under test, and reading their memory.

use crate::load::Client;
use anyhow::{Result, bail};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

pub struct Proc {
    pub name: String,
    pub child: Child,
    /// spawn → ready
    pub ready_after: Duration,
}

impl Proc {
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    /// Resident set size in KiB (VmRSS).
    pub fn rss_kib(&self) -> u64 {
        rss_kib(self.pid())
    }

    pub async fn stop(mut self) {
        // SIGTERM first, so a server shuts down as it would in production
        let pid = self.pid();
        if pid != 0 {
            let _ = std::process::Command::new("kill")
                .arg("-TERM")
                .arg(pid.to_string())
                .status();
        }
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .is_err()
        {
            eprintln!("bench: {} ignored SIGTERM for 10 s; killing it", self.name);
            let _ = self.child.kill().await;
        }
    }
}

pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// How the readiness of a server is probed.
pub enum Ready {
    /// GET path answers 200
    Get(&'static str),
    /// POST path with this JSON body answers 200
    Post(&'static str, &'static str),
}

async fn probe(addr: SocketAddr, how: &Ready) -> bool {
    let Ok(mut c) = Client::connect(&crate::load::Target::new(addr, "/")).await else {
        return false;
    };
    match how {
        Ready::Get(path) => c.get(path).await.is_ok_and(|s| s == 200),
        Ready::Post(path, body) => {
            c.set_path(path);
            c.post(bytes::Bytes::from_static(body.as_bytes()))
                .await
                .is_ok_and(|(s, _)| s == 200)
        }
    }
}

/// Spawns `cmd` (stdout/stderr to `log`) and waits until `addr` is ready.
pub async fn start(
    name: &str,
    mut cmd: Command,
    log: &Path,
    addr: SocketAddr,
    how: Ready,
    timeout: Duration,
) -> Result<Proc> {
    if let Some(d) = log.parent() {
        std::fs::create_dir_all(d)?;
    }
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    cmd.stdout(Stdio::from(out.try_clone()?))
        .stderr(Stdio::from(out))
        .stdin(Stdio::null())
        .kill_on_drop(true);
    let t0 = Instant::now();
    let mut child = cmd.spawn()?;
    loop {
        if probe(addr, &how).await {
            break;
        }
        if let Some(status) = child.try_wait()? {
            bail!(
                "{name} exited with {status} before it was ready; see {}",
                log.display()
            );
        }
        if t0.elapsed() > timeout {
            let _ = child.kill().await;
            bail!("{name} not ready after {timeout:?}; see {}", log.display());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Ok(Proc {
        name: name.into(),
        child,
        ready_after: t0.elapsed(),
    })
}
