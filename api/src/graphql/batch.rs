//! Deterministic DataLoader batching. A loader's dispatch runs on a
//! request-local queue that is polled only while the GraphQL execution is
//! pending, i.e. once every resolver of the current level has asked for its
//! keys. So one level is one batch, however long the level takes to resolve
//! (a timer-based batch window splits under load or in slow builds).

use futures::channel::mpsc;
use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

/// Where a request's loaders send their dispatch futures.
#[derive(Clone)]
pub struct Spawner(mpsc::UnboundedSender<BoxFuture<'static, ()>>);

impl Spawner {
    pub fn spawn(&self, f: BoxFuture<'static, ()>) {
        if let Err(e) = self.0.unbounded_send(f) {
            // the request is gone; run the load anyway so no waiter hangs
            tokio::spawn(e.into_inner());
        }
    }
}

pub fn channel() -> (Spawner, mpsc::UnboundedReceiver<BoxFuture<'static, ()>>) {
    let (tx, rx) = mpsc::unbounded();
    (Spawner(tx), rx)
}

/// Notes whether the execution woke itself while being polled.
struct SelfWake {
    woken: AtomicBool,
    task: Waker,
}

impl Wake for SelfWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake_by_ref();
    }
}

/// Polls of a self-waking execution before yielding to the runtime anyway.
const MAX_REPOLLS: usize = 64;

/// Drives `exec` and the loads it queues. Queued loads start only when the
/// execution is pending and did not wake itself: it has settled, waiting on
/// loads, so every key of the level is queued. (An execution that merely
/// yields for fairness — long lists do — wakes itself and is polled again.)
pub async fn drive<F: Future>(
    exec: F,
    mut queue: mpsc::UnboundedReceiver<BoxFuture<'static, ()>>,
) -> F::Output {
    let mut exec = pin!(exec);
    let mut loads = FuturesUnordered::new();
    std::future::poll_fn(move |cx| {
        let mut settled = false;
        for _ in 0..MAX_REPOLLS {
            let flag = Arc::new(SelfWake {
                woken: AtomicBool::new(false),
                task: cx.waker().clone(),
            });
            let waker = Waker::from(flag.clone());
            if let Poll::Ready(out) = exec.as_mut().poll(&mut Context::from_waker(&waker)) {
                return Poll::Ready(out);
            }
            if !flag.woken.load(Ordering::Acquire) {
                settled = true;
                break;
            }
        }
        if settled {
            while let Poll::Ready(Some(f)) = queue.poll_next_unpin(cx) {
                loads.push(f);
            }
        }
        // finished loads wake `exec` through the waker it registered
        while let Poll::Ready(Some(())) = loads.poll_next_unpin(cx) {}
        Poll::Pending
    })
    .await
}
