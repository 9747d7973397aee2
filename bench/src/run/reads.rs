//! Nested reads (igny8 against the raw-SQL limit server and PostGraphile),
//! statements per request, and the framework overhead of a `__typename`.

use super::context::{API, Ctx, LIMIT, PGL, addr};
use crate::load::{self, Bodies, Target, cycling, fixed_body};
use crate::queries::{NESTED_QUERY, PG_QUERY};
use crate::seed::{self, Seeded};
use anyhow::{Result, bail};
use bytes::Bytes;
use serde_json::json;
use std::time::Duration;

const CONCURRENCY: [usize; 3] = [8, 32, 64];

fn nested_body(site: &str) -> Bytes {
    Bytes::from(
        serde_json::to_vec(&json!({"query": NESTED_QUERY, "variables": {"id": site}})).unwrap(),
    )
}

fn pg_body(site: &str) -> Bytes {
    Bytes::from(serde_json::to_vec(&json!({"query": PG_QUERY, "variables": {"id": site}})).unwrap())
}

struct ReadTarget {
    name: &'static str,
    target: Target,
    bodies: Bodies,
}

pub async fn reads(
    cx: &mut Ctx,
    s: &Seeded,
    with_pg: bool,
    skip_reads: bool,
    skip_overhead: bool,
) -> Result<()> {
    let api = Target::new(addr(API), "/graphql");
    let token = seed::token(&api, &s.read_email).await?;
    let mut targets = vec![
        ReadTarget {
            name: "igny8",
            target: api.clone().bearer(&token),
            bodies: cycling(s.site_ids.iter().map(|id| nested_body(id)).collect()),
        },
        ReadTarget {
            name: "limit",
            target: Target::new(addr(LIMIT), "/graphql"),
            bodies: cycling(s.site_ids.iter().map(|id| nested_body(id)).collect()),
        },
    ];
    if with_pg {
        targets.push(ReadTarget {
            name: "postgraphile",
            target: Target::new(addr(PGL), "/graphql").bearer(&token),
            bodies: cycling(s.site_ids.iter().map(|id| pg_body(id)).collect()),
        });
    }

    // the same answer, or the comparison means nothing
    for id in &s.site_ids {
        let a = load::post_once(&targets[0].target, nested_body(id)).await?;
        let b = load::post_once(&targets[1].target, nested_body(id)).await?;
        if a != b {
            bail!("igny8 and the limit server disagree for site {id}:\n{a}\n{b}");
        }
        let kws = |v: &serde_json::Value, sectors: &str, kw: &str| -> usize {
            v.pointer(&format!("/data/{sectors}/edges"))
                .and_then(|e| e.as_array())
                .map(|e| {
                    e.iter()
                        .map(|s| s["node"][kw]["edges"].as_array().map_or(0, |k| k.len()))
                        .sum()
                })
                .unwrap_or(0)
        };
        let n = kws(&a, "site/sectors", "keywords");
        if n != 250 {
            bail!("expected 5 × 50 keywords, got {n}");
        }
        if with_pg {
            let c = load::post_once(&targets[2].target, pg_body(id)).await?;
            let m = kws(
                &c,
                "siteById/sectorsBySiteIdAndAccountId",
                "keywordsBySectorIdAndSiteIdAndAccountId",
            );
            if m != n {
                bail!("PostGraphile returned {m} keywords, igny8 {n}: {c}");
            }
        }
    }
    cx.notes.push(format!(
        "igny8 and the limit server returned byte-for-byte equal JSON (parsed) for all 3 sites; PostGraphile returned the same {} keywords per site in its own shape.",
        250
    ));
    let typename = fixed_body(r#"{"query":"{ __typename }"}"#);
    let typename_targets = [
        ("igny8", api.clone().bearer(&token), typename.clone()),
        (
            "bare",
            Target::new(addr(LIMIT), "/typename"),
            typename.clone(),
        ),
    ];

    // statements per request: sequential, 100 requests each
    if !skip_reads {
        for t in &targets {
            cx.reset_statements().await?;
            let r = load::closed(
                &t.target,
                t.bodies.clone(),
                1,
                Duration::from_secs(60),
                Some(100),
                false,
            )
            .await?;
            let st = cx.statements().await?;
            let total: i64 = st.iter().map(|x| x.1).sum();
            cx.figs.single(
                &format!("stmts.{}", t.name),
                total as f64 / r.ok.max(1) as f64,
            );
            // the statements that read data: without transaction control and set_config
            let data: i64 = st
                .iter()
                .filter(|(q, _)| {
                    let q = q.trim_start().to_ascii_uppercase();
                    !(q.starts_with("BEGIN")
                        || q.starts_with("COMMIT")
                        || q.starts_with("ROLLBACK")
                        || q.starts_with("SELECT SET_CONFIG")
                        || q.starts_with("SET ")
                        || q.starts_with("RESET"))
                })
                .map(|x| x.1)
                .sum();
            cx.figs.single(
                &format!("stmts_data.{}", t.name),
                data as f64 / r.ok.max(1) as f64,
            );
            if t.name == "igny8" {
                let per: Vec<(String, f64)> = st
                    .iter()
                    .map(|(q, c)| {
                        (
                            q.split_whitespace().collect::<Vec<_>>().join(" "),
                            *c as f64 / r.ok.max(1) as f64,
                        )
                    })
                    .collect();
                cx.figs.detail("stmts.igny8.list", json!(per));
            }
        }
    }

    // warm-up
    for t in &targets {
        load::closed(
            &t.target,
            t.bodies.clone(),
            8,
            Duration::from_secs(2),
            None,
            false,
        )
        .await?;
    }
    for (_, t, b) in &typename_targets {
        load::closed(t, b.clone(), 8, Duration::from_secs(1), None, false).await?;
    }

    let secs = Duration::from_secs_f64(cx.o.secs);
    for round in 0..cx.o.rounds {
        eprintln!("bench: reads round {}", round + 1);
        if !skip_reads {
            let mut best = 0.0f64;
            for &c in &CONCURRENCY {
                let mut order: Vec<&ReadTarget> = targets.iter().collect();
                let k = round % order.len();
                order.rotate_left(k);
                let mut rps = std::collections::HashMap::new();
                for t in order {
                    let r = load::closed(&t.target, t.bodies.clone(), c, secs, None, false).await?;
                    if r.errors > 0 {
                        cx.notes.push(format!(
                            "round {}: {} at c={c} had {} errors",
                            round + 1,
                            t.name,
                            r.errors
                        ));
                    }
                    cx.figs.push(&format!("read.{}.c{c}.rps", t.name), r.rps());
                    cx.figs
                        .push(&format!("read.{}.c{c}.p50", t.name), r.pct_ms(50.0));
                    cx.figs
                        .push(&format!("read.{}.c{c}.p99", t.name), r.pct_ms(99.0));
                    rps.insert(t.name, r.rps());
                }
                let g = rps["igny8"];
                best = best.max(g);
                cx.figs
                    .push(&format!("read.ratio_limit.c{c}"), g / rps["limit"]);
                if let Some(p) = rps.get("postgraphile") {
                    cx.figs.push(&format!("read.ratio_pg.c{c}"), g / p);
                }
            }
            // p99 at 80 % of the sustainable rate (the best closed-loop rate this round)
            let rate = 0.8 * best;
            let r = load::open(
                &targets[0].target,
                targets[0].bodies.clone(),
                rate,
                secs + Duration::from_secs(1),
                64,
                false,
            )
            .await?;
            cx.figs.push("read.open80.rate", rate);
            cx.figs.push("read.open80.achieved", r.rps());
            cx.figs.push("read.open80.p50", r.pct_ms(50.0));
            cx.figs.push("read.open80.p99", r.pct_ms(99.0));
        }
        if !skip_overhead {
            for c in [8usize, 32] {
                let mut order: Vec<_> = typename_targets.iter().collect();
                order.rotate_left(round % 2);
                let mut rps = std::collections::HashMap::new();
                for (name, t, b) in order {
                    let r = load::closed(t, b.clone(), c, secs, None, false).await?;
                    cx.figs.push(&format!("overhead.{name}.c{c}.rps"), r.rps());
                    cx.figs
                        .push(&format!("overhead.{name}.c{c}.p99"), r.pct_ms(99.0));
                    rps.insert(*name, r.rps());
                }
                cx.figs
                    .push(&format!("overhead.ratio.c{c}"), rps["igny8"] / rps["bare"]);
            }
        }
    }
    Ok(())
}
