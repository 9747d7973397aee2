//! Quality of the offline clustering on a labelled fixture: the adjusted
//! Rand index against hand-assigned topics, cluster sizes, determinism, and
//! how long a large input takes.
//!
//! Run with `--nocapture` to see the numbers.

use igny8_core::ai::cluster::{ClusterOutput, ClusterParams, KeywordIn, cluster_keywords};
use igny8_core::planner::KeywordIntent;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

const FIXTURE: &str = include_str!("fixtures/labeled_keywords.csv");

struct Labeled {
    keyword: KeywordIn,
    topic: String,
}

fn fixture() -> Vec<Labeled> {
    let mut reader = csv::Reader::from_reader(FIXTURE.as_bytes());
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.expect("fixture row");
            Labeled {
                keyword: KeywordIn {
                    id: format!("k{i:03}"),
                    keyword: r[0].to_owned(),
                    volume: Some(r[2].parse().expect("volume")),
                    intent: Some(r[3].parse::<KeywordIntent>().expect("intent")),
                },
                topic: r[1].to_owned(),
            }
        })
        .collect()
}

fn choose2(n: usize) -> f64 {
    (n as f64) * (n as f64 - 1.0) / 2.0
}

/// Adjusted Rand index (Hubert & Arabie) of two labelings of the same items.
fn adjusted_rand_index(truth: &[usize], predicted: &[usize]) -> f64 {
    assert_eq!(truth.len(), predicted.len());
    let n = truth.len();
    let mut table: HashMap<(usize, usize), usize> = HashMap::new();
    let mut rows: HashMap<usize, usize> = HashMap::new();
    let mut cols: HashMap<usize, usize> = HashMap::new();
    for (&t, &p) in truth.iter().zip(predicted) {
        *table.entry((t, p)).or_default() += 1;
        *rows.entry(t).or_default() += 1;
        *cols.entry(p).or_default() += 1;
    }
    let index: f64 = table.values().map(|&c| choose2(c)).sum();
    let sum_rows: f64 = rows.values().map(|&c| choose2(c)).sum();
    let sum_cols: f64 = cols.values().map(|&c| choose2(c)).sum();
    let expected = sum_rows * sum_cols / choose2(n);
    let max = (sum_rows + sum_cols) / 2.0;
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

/// Predicted labels in fixture order: the cluster's position, or a fresh
/// label for each unclustered keyword (a singleton, so leaving keywords
/// out is penalised).
fn predicted_labels(items: &[Labeled], out: &ClusterOutput) -> Vec<usize> {
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (c, cluster) in out.clusters.iter().enumerate() {
        for id in &cluster.keyword_ids {
            assert!(by_id.insert(id, c).is_none(), "{id} is in two clusters");
        }
    }
    let mut next = out.clusters.len();
    items
        .iter()
        .map(|l| {
            by_id
                .get(l.keyword.id.as_str())
                .copied()
                .unwrap_or_else(|| {
                    next += 1;
                    next - 1
                })
        })
        .collect()
}

fn truth_labels(items: &[Labeled]) -> Vec<usize> {
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    items
        .iter()
        .map(|l| {
            let next = ids.len();
            *ids.entry(l.topic.as_str()).or_insert(next)
        })
        .collect()
}

#[test]
fn ari_of_the_test_itself_is_sane() {
    assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 7, 7]), 1.0);
    assert!(adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 2, 3]).abs() < 1e-12);
    // Worked example: ARI = 0.24242…
    let ari = adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]);
    assert!((ari - 0.242_424_242).abs() < 1e-6, "{ari}");
}

#[test]
fn clustering_the_labeled_fixture_recovers_its_topics() {
    let items = fixture();
    let topics = truth_labels(&items);
    let topic_count = topics.iter().max().map_or(0, |m| m + 1);
    assert!(items.len() >= 150 && topic_count >= 12);

    let input: Vec<KeywordIn> = items.iter().map(|l| l.keyword.clone()).collect();
    let params = ClusterParams::default();
    let out = cluster_keywords(&input, &params);
    let ari = adjusted_rand_index(&topics, &predicted_labels(&items, &out));
    let clustered: usize = out.clusters.iter().map(|c| c.keyword_ids.len()).sum();

    let keyword_of: HashMap<&str, &Labeled> =
        items.iter().map(|l| (l.keyword.id.as_str(), l)).collect();
    for c in &out.clusters {
        let topics: Vec<&str> = c
            .keyword_ids
            .iter()
            .map(|id| keyword_of[id.as_str()].topic.as_str())
            .collect();
        println!("{:<28} {:>2}  {:?}", c.name, c.keyword_ids.len(), topics);
    }
    println!(
        "adjusted Rand index {ari:.4} ({} keywords, {topic_count} topics, {} clusters, {clustered} clustered; params {params:?})",
        items.len(),
        out.clusters.len(),
    );
    assert!(ari >= 0.8, "ARI {ari:.4} below 0.8");

    let in_range = out
        .clusters
        .iter()
        .filter(|c| (3..=10).contains(&c.keyword_ids.len()))
        .count();
    assert!(
        in_range * 10 >= out.clusters.len() * 8,
        "{in_range} of {}",
        out.clusters.len()
    );
    assert!(
        out.clusters
            .iter()
            .all(|c| c.keyword_ids.len() <= params.max_size)
    );
    assert!(
        clustered * 10 >= items.len() * 8,
        "only {clustered} clustered"
    );
}

#[test]
fn clustering_is_deterministic_and_independent_of_input_order() {
    let items = fixture();
    let input: Vec<KeywordIn> = items.iter().map(|l| l.keyword.clone()).collect();
    let params = ClusterParams::default();
    let first = cluster_keywords(&input, &params);
    assert_eq!(cluster_keywords(&input, &params), first);
    let json = serde_json::to_string(&first).unwrap();
    assert_eq!(
        serde_json::to_string(&cluster_keywords(&input, &params)).unwrap(),
        json
    );

    // A fixed shuffle (a stride coprime to the length).
    let n = input.len();
    let stride = (2..n).find(|s| gcd(*s, n) == 1 && *s > n / 3).unwrap_or(1);
    let shuffled: Vec<KeywordIn> = (0..n).map(|i| input[(i * stride) % n].clone()).collect();
    let mut reversed = input.clone();
    reversed.reverse();
    for other in [shuffled, reversed] {
        assert_eq!(cluster_keywords(&other, &params), first);
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// 500 keywords: the fixture plus variants with other modifiers, so the
/// input has the shape of a real large account.
fn five_hundred() -> Vec<KeywordIn> {
    let base = fixture();
    let suffixes = [
        "",
        " for women",
        " 2026",
        " near me",
        " for kids",
        " uk",
        " reddit",
    ];
    let mut out = Vec::new();
    'outer: for suffix in suffixes {
        for l in &base {
            if out.len() == 500 {
                break 'outer;
            }
            out.push(KeywordIn {
                id: format!("v{}", out.len()),
                keyword: format!("{}{suffix}", l.keyword.keyword),
                volume: l.keyword.volume.map(|v| v / (1 + suffix.len() as i64)),
                intent: None,
            });
        }
    }
    out
}

#[test]
fn five_hundred_keywords_are_clustered_quickly() {
    let input = five_hundred();
    assert_eq!(input.len(), 500);
    let start = Instant::now();
    let out = cluster_keywords(&input, &ClusterParams::default());
    let elapsed = start.elapsed();
    println!(
        "clustered {} keywords into {} clusters in {:.1} ms",
        input.len(),
        out.clusters.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    assert!(out.clusters.iter().all(|c| c.keyword_ids.len() <= 10));
    // Generous: debug builds are far slower than release.
    assert!(elapsed.as_secs() < 20);
}

#[test]
fn tiny_inputs() {
    let params = ClusterParams::default();
    let kw = |id: &str, k: &str| KeywordIn {
        id: id.into(),
        keyword: k.into(),
        volume: None,
        intent: None,
    };
    assert!(cluster_keywords(&[], &params).clusters.is_empty());
    assert!(
        cluster_keywords(&[kw("1", "meditation")], &params)
            .clusters
            .is_empty()
    );
    let four = [
        kw("1", "how to meditate"),
        kw("2", "meditation for beginners"),
        kw("3", "guided meditation for sleep"),
        kw("4", "best meditation apps"),
    ];
    let out = cluster_keywords(&four, &params);
    assert_eq!(out.clusters.len(), 1, "{out:?}");
    assert_eq!(out.clusters[0].keyword_ids.len(), 4);
    assert_eq!(out.clusters[0].name, "Meditation");
}

/// The fixture split into requests of 20 keywords from four topics (JOB-1
/// allows at most 20 keywords per `auto_cluster` request), as (batch, topic
/// labels).
fn small_batches(items: &[Labeled]) -> Vec<(Vec<KeywordIn>, Vec<usize>)> {
    let mut out = Vec::new();
    for group in 0..4 {
        for half in 0..2 {
            let batch: Vec<&Labeled> = items
                .iter()
                .enumerate()
                .filter(|(i, _)| (i / 10) % 4 == group && (i % 10) / 5 == half)
                .map(|(_, l)| l)
                .collect();
            let mut topics: BTreeMap<&str, usize> = BTreeMap::new();
            let labels = batch
                .iter()
                .map(|l| {
                    let next = topics.len();
                    *topics.entry(l.topic.as_str()).or_insert(next)
                })
                .collect();
            out.push((batch.iter().map(|l| l.keyword.clone()).collect(), labels));
        }
    }
    out
}

fn labels_for(input: &[KeywordIn], out: &ClusterOutput) -> Vec<usize> {
    let items: Vec<Labeled> = input
        .iter()
        .map(|k| Labeled {
            keyword: k.clone(),
            topic: String::new(),
        })
        .collect();
    predicted_labels(&items, out)
}

#[test]
fn small_requests_cluster_well_too() {
    let batches = small_batches(&fixture());
    let params = ClusterParams::default();
    let mut total = 0.0;
    for (input, truth) in &batches {
        assert_eq!(input.len(), 20);
        let out = cluster_keywords(input, &params);
        total += adjusted_rand_index(truth, &labels_for(input, &out));
    }
    let mean = total / batches.len() as f64;
    println!(
        "mean adjusted Rand index over {} requests of 20 keywords: {mean:.4}",
        batches.len()
    );
    assert!(mean >= 0.8, "{mean:.4}");
}

/// The default is not a lucky point: the adjusted Rand index stays high
/// for thresholds around it and for larger size caps.
#[test]
fn quality_is_robust_around_the_default_threshold() {
    let items = fixture();
    let topics = truth_labels(&items);
    let input: Vec<KeywordIn> = items.iter().map(|l| l.keyword.clone()).collect();
    for t in [0.04, 0.06, 0.08, 0.10] {
        for m in [10, 15, 30] {
            let params = ClusterParams {
                similarity_threshold: t,
                max_size: m,
                ..ClusterParams::default()
            };
            let out = cluster_keywords(&input, &params);
            let ari = adjusted_rand_index(&topics, &predicted_labels(&items, &out));
            println!(
                "threshold {t:.2} max_size {m:>2}: ARI {ari:.4} ({} clusters)",
                out.clusters.len()
            );
            assert!(ari >= 0.85, "threshold {t} max_size {m}: ARI {ari:.4}");
        }
    }
}
