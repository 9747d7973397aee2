//! The Redis limit of the job path: a bare XADD → XREADGROUP → XACK loop.

use anyhow::Result;
use std::time::Instant;

/// `n` entries added one XADD at a time while `consumers` each read one
/// entry (XREADGROUP COUNT 1) and XACK it, as the worker does per job.
pub async fn redis_loop(url: &str, stream: &str, n: usize, consumers: usize) -> Result<f64> {
    let client = redis::Client::open(url)?;
    let mut c = client.get_multiplexed_async_connection().await?;
    let _: redis::RedisResult<()> = redis::cmd("DEL").arg(stream).query_async(&mut c).await;
    let _: () = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(stream)
        .arg("g")
        .arg("$")
        .arg("MKSTREAM")
        .query_async(&mut c)
        .await?;
    let acked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t0 = Instant::now();
    let producer = {
        let mut c = client.get_multiplexed_async_connection().await?;
        let stream = stream.to_owned();
        tokio::spawn(async move {
            for i in 0..n {
                let _: String = redis::cmd("XADD")
                    .arg(&stream)
                    .arg("*")
                    .arg("job")
                    .arg(i)
                    .query_async(&mut c)
                    .await?;
            }
            Ok::<_, redis::RedisError>(())
        })
    };
    let mut tasks = vec![];
    for k in 0..consumers {
        // a connection each: blocking reads must not hold up the others
        let mut c = client.get_multiplexed_async_connection().await?;
        let (stream, acked) = (stream.to_owned(), acked.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                if acked.load(std::sync::atomic::Ordering::Relaxed) >= n {
                    break;
                }
                let v: redis::Value = redis::cmd("XREADGROUP")
                    .arg("GROUP")
                    .arg("g")
                    .arg(format!("c{k}"))
                    .arg("COUNT")
                    .arg(1)
                    .arg("BLOCK")
                    .arg(100)
                    .arg("STREAMS")
                    .arg(&stream)
                    .arg(">")
                    .query_async(&mut c)
                    .await?;
                let reply: Option<redis::streams::StreamReadReply> =
                    redis::FromRedisValue::from_redis_value(v).ok();
                for key in reply.map(|r| r.keys).unwrap_or_default() {
                    for e in key.ids {
                        let _: i64 = redis::cmd("XACK")
                            .arg(&stream)
                            .arg("g")
                            .arg(&e.id)
                            .query_async(&mut c)
                            .await?;
                        acked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
            Ok::<_, redis::RedisError>(())
        }));
    }
    producer.await??;
    for t in tasks {
        t.await??;
    }
    let rate = n as f64 / t0.elapsed().as_secs_f64();
    let _: redis::RedisResult<()> = redis::cmd("DEL").arg(stream).query_async(&mut c).await;
    Ok(rate)
}
