//! Offline keyword clustering (`auto_cluster`, JOB-1/JOB-7).
//!
//! Keywords are compared lexically: each becomes a TF-IDF vector over its
//! Snowball stems and stem bigrams (stop words dropped, search modifiers
//! such as "best" or "near me" down-weighted), and the similarity of two
//! keywords blends the cosine of those vectors with the IDF-weighted
//! Jaccard overlap of their topic stems. The IDF keeps a sector's head word
//! ("running" on a running site) from tying every keyword together. Average-linkage agglomerative clustering then merges
//! the most similar groups while their average similarity stays above a
//! threshold and the merged group fits `max_size`, so oversized topics split
//! along their natural sub-themes instead of being chopped arbitrarily.
//!
//! Everything is deterministic and independent of input order: keywords are
//! sorted before anything is computed, and every tie is broken by index.

use super::text::{infer_intent, is_modifier, is_stop_word, normalize, stem, title_case};
use crate::planner::KeywordIntent;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A keyword to cluster, as the job loads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KeywordIn {
    pub id: String,
    pub keyword: String,
    pub volume: Option<i64>,
    pub intent: Option<KeywordIntent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClusterOut {
    pub name: String,
    pub description: String,
    /// Highest volume first.
    pub keyword_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClusterOutput {
    pub clusters: Vec<ClusterOut>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterParams {
    /// Two groups merge while their average pairwise similarity is at least
    /// this (0–1).
    pub similarity_threshold: f64,
    /// Smaller groups are not emitted (their keywords stay unclustered),
    /// unless no group reaches this size, in which case groups of two or
    /// more are emitted so small inputs still get a result.
    pub min_size: usize,
    /// No emitted cluster is larger.
    pub max_size: usize,
}

impl Default for ClusterParams {
    /// Tuned on `tests/fixtures/labeled_keywords.csv` (see
    /// `tests/clustering_quality.rs`).
    fn default() -> Self {
        ClusterParams {
            similarity_threshold: 0.08,
            min_size: 3,
            max_size: 10,
        }
    }
}

/// How much a search modifier ("best", "2026") counts next to a topic word.
const MODIFIER_WEIGHT: f64 = 0.25;
/// How much a stem bigram counts next to a single stem.
const BIGRAM_WEIGHT: f64 = 0.6;
/// Share of the cosine in the blended similarity (the rest is Jaccard).
const COSINE_SHARE: f64 = 0.6;
/// Added to ln((1 + n) / (1 + df)). Small, so a word in almost every
/// keyword (a sector's head word, such as "running" on a running site)
/// barely links keywords, yet not zero, so a tiny input whose keywords all
/// share their words still clusters.
const IDF_FLOOR: f64 = 0.5;

/// A keyword after normalisation, in processing order.
struct Item<'a> {
    input: &'a KeywordIn,
    /// Normalised words, in order.
    words: Vec<String>,
    /// The stem of each word (same indices).
    stems: Vec<String>,
    /// Topic stems: not stop words, not modifiers; sorted, unique.
    topic: Vec<String>,
    /// Features with their base weight (before IDF); sorted by feature.
    features: Vec<(String, f64)>,
}

impl<'a> Item<'a> {
    fn new(input: &'a KeywordIn) -> Self {
        let words: Vec<String> = normalize(&input.keyword)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let stems: Vec<String> = words.iter().map(|w| stem(w)).collect();
        let mut features: BTreeMap<String, f64> = BTreeMap::new();
        let mut topic_seq: Vec<&str> = Vec::new();
        for (w, s) in words.iter().zip(&stems) {
            if is_stop_word(w) {
                continue;
            }
            let weight = if is_modifier(w) { MODIFIER_WEIGHT } else { 1.0 };
            let e = features.entry(s.clone()).or_insert(0.0);
            *e = e.max(weight);
            if weight == 1.0 {
                topic_seq.push(s);
            }
        }
        // Bigrams of neighbouring topic stems ("run shoe"): they tell
        // "running shoes" from "running socks" and "trail shoes".
        for pair in topic_seq.windows(2) {
            features.insert(format!("{} {}", pair[0], pair[1]), BIGRAM_WEIGHT);
        }
        let mut topic: Vec<String> = topic_seq.iter().map(|s| (*s).to_owned()).collect();
        topic.sort();
        topic.dedup();
        Item {
            input,
            words,
            stems,
            topic,
            features: features.into_iter().collect(),
        }
    }

    fn volume(&self) -> i64 {
        self.input.volume.unwrap_or(0).max(0)
    }

    fn intent(&self) -> KeywordIntent {
        self.input
            .intent
            .unwrap_or_else(|| infer_intent(&self.input.keyword))
    }
}

/// The inverse document frequency of every feature, by feature id, and
/// the ids (assigned in processing order, so deterministically).
fn idf_table<'i>(items: &'i [Item<'_>]) -> (HashMap<&'i str, usize>, Vec<f64>) {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut df: Vec<usize> = Vec::new();
    for item in items {
        for (f, _) in &item.features {
            let id = *ids.entry(f.as_str()).or_insert_with(|| {
                df.push(0);
                df.len() - 1
            });
            df[id] += 1;
        }
    }
    let n = items.len() as f64;
    let idf = df
        .iter()
        .map(|&d| ((1.0 + n) / (1.0 + d as f64)).ln() + IDF_FLOOR)
        .collect();
    (ids, idf)
}

/// L2-normalised TF-IDF vectors (sorted by feature id) for every item.
fn tfidf_vectors(
    items: &[Item<'_>],
    ids: &HashMap<&str, usize>,
    idf: &[f64],
) -> Vec<Vec<(usize, f64)>> {
    items
        .iter()
        .map(|item| {
            let mut v: Vec<(usize, f64)> = item
                .features
                .iter()
                .filter_map(|(f, w)| {
                    let id = *ids.get(f.as_str())?;
                    Some((id, w * idf[id]))
                })
                .collect();
            v.sort_by_key(|&(id, _)| id);
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            if norm > 0.0 {
                for (_, x) in &mut v {
                    *x /= norm;
                }
            }
            v
        })
        .collect()
}

/// Topic stems with their IDF, sorted by feature id.
fn topic_weights(
    items: &[Item<'_>],
    ids: &HashMap<&str, usize>,
    idf: &[f64],
) -> Vec<Vec<(usize, f64)>> {
    items
        .iter()
        .map(|item| {
            let mut v: Vec<(usize, f64)> = item
                .topic
                .iter()
                .filter_map(|s| ids.get(s.as_str()).map(|&id| (id, idf[id])))
                .collect();
            v.sort_by_key(|&(id, _)| id);
            v
        })
        .collect()
}

fn cosine(a: &[(usize, f64)], b: &[(usize, f64)]) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// Weighted Jaccard overlap of two sets of weighted topic stems: the
/// weight they share over the weight of their union, so sharing a rare
/// word counts for more than sharing a common one.
fn weighted_jaccard(a: &[(usize, f64)], b: &[(usize, f64)]) -> f64 {
    let total: f64 = a.iter().chain(b).map(|(_, w)| w).sum();
    let (mut i, mut j, mut shared) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += a[i].1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = total - shared;
    if union > 0.0 { shared / union } else { 0.0 }
}

/// The pairwise similarity matrix (row-major, symmetric, zero diagonal).
fn similarity_matrix(items: &[Item<'_>]) -> Vec<f64> {
    let n = items.len();
    let (ids, idf) = idf_table(items);
    let vectors = tfidf_vectors(items, &ids, &idf);
    let topics = topic_weights(items, &ids, &idf);
    let mut sim = vec![0.0; n * n];
    for a in 0..n {
        for b in a + 1..n {
            let s = COSINE_SHARE * cosine(&vectors[a], &vectors[b])
                + (1.0 - COSINE_SHARE) * weighted_jaccard(&topics[a], &topics[b]);
            sim[a * n + b] = s;
            sim[b * n + a] = s;
        }
    }
    sim
}

/// Average-linkage agglomerative clustering over `sim` (n×n). Returns the
/// groups (indices, ascending) of every active cluster, singletons included.
fn agglomerate(n: usize, sim: &[f64], threshold: f64, max_size: usize) -> Vec<Vec<usize>> {
    // sum[a][b]: the sum of pairwise similarities between clusters a and b,
    // so their average is sum / (size a × size b) and a merge is additive.
    let mut sum = sim.to_vec();
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut active = vec![true; n];

    let avg = |sum: &[f64], members: &[Vec<usize>], a: usize, b: usize| {
        sum[a * n + b] / (members[a].len() * members[b].len()) as f64
    };
    // The best partner of `a`: highest average, ties to the lower index.
    let best_of = |sum: &[f64], members: &[Vec<usize>], active: &[bool], a: usize| {
        let mut best: Option<(f64, usize)> = None;
        for b in 0..n {
            if b == a || !active[b] || members[a].len() + members[b].len() > max_size {
                continue;
            }
            let s = avg(sum, members, a, b);
            if best.is_none_or(|(bs, _)| s > bs) {
                best = Some((s, b));
            }
        }
        best
    };
    let mut best: Vec<Option<(f64, usize)>> = (0..n)
        .map(|a| best_of(&sum, &members, &active, a))
        .collect();

    loop {
        let mut pick: Option<(f64, usize, usize)> = None;
        for a in 0..n {
            if let (true, Some((s, b))) = (active[a], best[a])
                && pick.is_none_or(|(ps, _, _)| s > ps)
            {
                pick = Some((s, a, b));
            }
        }
        let Some((s, a, b)) = pick else { break };
        if s < threshold {
            break;
        }
        let (keep, drop) = (a.min(b), a.max(b));
        for x in 0..n {
            if active[x] && x != keep && x != drop {
                let merged = sum[keep * n + x] + sum[drop * n + x];
                sum[keep * n + x] = merged;
                sum[x * n + keep] = merged;
            }
        }
        let moved = std::mem::take(&mut members[drop]);
        members[keep].extend(moved);
        members[keep].sort_unstable();
        active[drop] = false;
        best[drop] = None;
        best[keep] = best_of(&sum, &members, &active, keep);
        for x in 0..n {
            if !active[x] || x == keep {
                continue;
            }
            match best[x] {
                Some((_, y)) if y == keep || y == drop => {
                    best[x] = best_of(&sum, &members, &active, x);
                }
                current => {
                    if members[x].len() + members[keep].len() <= max_size {
                        let s = avg(&sum, &members, x, keep);
                        let better = match current {
                            None => true,
                            Some((cs, cy)) => s > cs || (s == cs && keep < cy),
                        };
                        if better {
                            best[x] = Some((s, keep));
                        }
                    }
                }
            }
        }
    }
    (0..n)
        .filter(|&i| active[i])
        .map(|i| members[i].clone())
        .collect()
}

/// A candidate name: a run of 1–3 words that neither starts nor ends with
/// a modifier and holds no stop word.
#[derive(Default)]
struct Phrase {
    /// Keywords containing it (each counted once).
    support: usize,
    volume: i64,
    /// Surface forms and how often each occurs.
    surfaces: BTreeMap<String, usize>,
}

fn phrases(items: &[Item<'_>], group: &[usize]) -> BTreeMap<(usize, String), Phrase> {
    let mut out: BTreeMap<(usize, String), Phrase> = BTreeMap::new();
    for &i in group {
        let item = &items[i];
        let mut seen: HashSet<(usize, String)> = HashSet::new();
        for len in 1..=3 {
            for start in 0..item.words.len().saturating_sub(len - 1) {
                let ws = &item.words[start..start + len];
                if ws.iter().any(|w| is_stop_word(w))
                    || is_modifier(&ws[0])
                    || is_modifier(&ws[len - 1])
                {
                    continue;
                }
                let key = (len, item.stems[start..start + len].join(" "));
                let p = out.entry(key.clone()).or_default();
                *p.surfaces.entry(ws.join(" ")).or_default() += 1;
                if seen.insert(key) {
                    p.support += 1;
                    p.volume += item.volume();
                }
            }
        }
    }
    out
}

/// The strongest shared phrase of a group, as (stem key, surface words):
/// the best supported single word, upgraded to a two- and then three-word
/// phrase when that is shared by enough of the same keywords. `taken` holds
/// names already used (lower case) so split topics get distinct names.
fn name_phrase(items: &[Item<'_>], group: &[usize], taken: &HashSet<String>) -> Option<String> {
    let all = phrases(items, group);
    let surface = |p: &Phrase| {
        // Most frequent surface form, ties to the alphabetically first.
        let mut best: Option<(&String, usize)> = None;
        for (s, &c) in &p.surfaces {
            if best.is_none_or(|(_, bc)| c > bc) {
                best = Some((s, c));
            }
        }
        best.map(|(s, _)| s.clone()).unwrap_or_default()
    };
    let min_support = if group.len() >= 2 { 2 } else { 1 };
    // Best of one length whose stems contain `within` (if any).
    let best_len = |len: usize, within: Option<&str>, floor: usize| {
        let mut best: Option<(&String, &Phrase)> = None;
        for ((l, key), p) in &all {
            if *l != len
                || p.support < floor.max(min_support)
                || within.is_some_and(|w| !contains_words(key, w))
                || taken.contains(&surface(p))
            {
                continue;
            }
            let better = best.is_none_or(|(_, bp)| (p.support, p.volume) > (bp.support, bp.volume));
            if better {
                best = Some((key, p));
            }
        }
        best
    };
    let (mut key, mut phrase) = best_len(1, None, 0)?;
    // A longer phrase wins when at least half (two words) or 60 % (three
    // words) of the keywords sharing the shorter one also share it.
    for (len, share) in [(2, 0.3), (3, 0.6)] {
        let floor = (phrase.support as f64 * share).ceil() as usize;
        match best_len(len, Some(key), floor) {
            Some((k, p)) => (key, phrase) = (k, p),
            None => break,
        }
    }
    Some(surface(phrase))
}

/// True when the words of `inner` occur in order, contiguously, in `outer`.
fn contains_words(outer: &str, inner: &str) -> bool {
    let o: Vec<&str> = outer.split(' ').collect();
    let i: Vec<&str> = inner.split(' ').collect();
    o.windows(i.len()).any(|w| w == i.as_slice())
}

/// A name for a group that shares no phrase: the topic words of its
/// highest-volume keyword.
fn fallback_name(items: &[Item<'_>], group: &[usize]) -> String {
    let top = &items[group[0]];
    let words: Vec<&str> = top
        .words
        .iter()
        .filter(|w| !is_stop_word(w) && !is_modifier(w))
        .map(String::as_str)
        .take(4)
        .collect();
    if words.is_empty() {
        top.words.join(" ")
    } else {
        words.join(" ")
    }
}

/// The most common intent of a group (given, or guessed from the words),
/// ties to the higher total volume, then to the order of `KeywordIntent::ALL`.
fn dominant_intent(items: &[Item<'_>], group: &[usize]) -> (KeywordIntent, usize) {
    let mut best = (KeywordIntent::Informational, 0usize, -1i64);
    for intent in KeywordIntent::ALL {
        let (count, volume) = group
            .iter()
            .filter(|&&i| items[i].intent() == intent)
            .fold((0usize, 0i64), |(c, v), &i| (c + 1, v + items[i].volume()));
        if (count, volume) > (best.1, best.2) {
            best = (intent, count, volume);
        }
    }
    (best.0, best.1)
}

fn describe(items: &[Item<'_>], group: &[usize], name: &str) -> String {
    let n = group.len();
    let (intent, count) = dominant_intent(items, group);
    let intent_part = if count == n {
        format!("all {} intent", intent.as_str())
    } else {
        format!("mostly {} intent", intent.as_str())
    };
    let top: Vec<String> = group
        .iter()
        .take(3)
        .map(|&i| {
            items[i]
                .input
                .keyword
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let has_volume = group.iter().any(|&i| items[i].volume() > 0);
    let lead = if has_volume {
        "Top keywords by search volume"
    } else {
        "Top keywords"
    };
    let noun = if n == 1 { "keyword" } else { "keywords" };
    format!(
        "Searches about {}: {n} {noun}, {intent_part}. {lead}: {}.",
        name.to_lowercase(),
        join_list(&top)
    )
}

/// "a", "a and b", "a, b and c".
fn join_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Clusters keywords (see the module docs). Keywords with the same id are
/// taken once; keywords in no emitted cluster are absent from the output.
pub fn cluster_keywords(input: &[KeywordIn], params: &ClusterParams) -> ClusterOutput {
    let threshold = if params.similarity_threshold.is_finite() {
        params.similarity_threshold.clamp(0.0, 1.0)
    } else {
        ClusterParams::default().similarity_threshold
    };
    let min_size = params.min_size.max(1);
    let max_size = params.max_size.max(min_size).max(2);

    // Order-independent processing: sort by normalised text, then id.
    let mut sorted: Vec<&KeywordIn> = input.iter().collect();
    sorted.sort_by(|a, b| {
        (normalize(&a.keyword), &a.id, &a.keyword).cmp(&(normalize(&b.keyword), &b.id, &b.keyword))
    });
    let mut seen_ids = HashSet::new();
    sorted.retain(|k| seen_ids.insert(k.id.as_str()));
    let items: Vec<Item<'_>> = sorted.into_iter().map(Item::new).collect();
    let n = items.len();
    if n == 0 {
        return ClusterOutput { clusters: vec![] };
    }

    let sim = similarity_matrix(&items);
    let mut groups = agglomerate(n, &sim, threshold, max_size);
    let emit_min = if groups.iter().any(|g| g.len() >= min_size) {
        min_size
    } else {
        // Nothing reaches min_size: a small input. Related pairs and
        // triples are still worth a cluster.
        min_size.min(2)
    };
    groups.retain(|g| g.len() >= emit_min);
    for g in &mut groups {
        // Highest volume first; the sort keeps the processing order on ties.
        g.sort_by_key(|&i| (std::cmp::Reverse(items[i].volume()), i));
    }
    // Bigger total volume first, then more keywords, then the first keyword.
    groups.sort_by_key(|g| {
        let volume: i64 = g.iter().map(|&i| items[i].volume()).sum();
        (std::cmp::Reverse(volume), std::cmp::Reverse(g.len()), g[0])
    });

    let mut taken: HashSet<String> = HashSet::new();
    let clusters = groups
        .iter()
        .map(|g| {
            let phrase = name_phrase(&items, g, &taken).unwrap_or_else(|| fallback_name(&items, g));
            let mut name = title_case(&phrase);
            let mut k = 2;
            while taken.contains(&name.to_lowercase()) {
                name = format!("{} {k}", title_case(&phrase));
                k += 1;
            }
            taken.insert(phrase);
            taken.insert(name.to_lowercase());
            ClusterOut {
                description: describe(&items, g, &name),
                keyword_ids: g.iter().map(|&i| items[i].input.id.clone()).collect(),
                name,
            }
        })
        .collect();
    ClusterOutput { clusters }
}

/// The description clustering writes for a cluster named `name` holding
/// `keywords`; recomputed whenever its keywords change, so its counts never
/// go stale.
pub fn describe_keywords(name: &str, keywords: &[KeywordIn]) -> String {
    if keywords.is_empty() {
        return format!("Searches about {}: no keywords yet.", name.to_lowercase());
    }
    let mut sorted: Vec<&KeywordIn> = keywords.iter().collect();
    sorted.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.volume.unwrap_or(0).max(0)),
            normalize(&a.keyword),
            &a.id,
        )
            .cmp(&(
                std::cmp::Reverse(b.volume.unwrap_or(0).max(0)),
                normalize(&b.keyword),
                &b.id,
            ))
    });
    let items: Vec<Item<'_>> = sorted.into_iter().map(Item::new).collect();
    let group: Vec<usize> = (0..items.len()).collect();
    describe(&items, &group, name)
}

/// The keywords (indices into `input`) of each provider call of at most
/// `size`: related keywords share a call, so each call sees whole topics
/// (the offline clustering, capped at `size` per group, groups them; the
/// groups are packed first-fit). Beyond 1,500 keywords, pairwise
/// similarity would cost too much memory and calls take them in
/// alphabetical order instead. Deterministic.
pub fn call_batches(input: &[KeywordIn], size: usize) -> Vec<Vec<usize>> {
    let size = size.max(1);
    if input.len() <= size {
        return if input.is_empty() {
            vec![]
        } else {
            vec![(0..input.len()).collect()]
        };
    }
    let mut groups: Vec<Vec<usize>> = if input.len() <= 1500 {
        let index: HashMap<&str, usize> = input
            .iter()
            .enumerate()
            .map(|(i, k)| (k.id.as_str(), i))
            .collect();
        let params = ClusterParams {
            min_size: 1,
            max_size: size,
            ..ClusterParams::default()
        };
        let out = cluster_keywords(input, &params);
        let mut placed = vec![false; input.len()];
        let mut groups: Vec<Vec<usize>> = out
            .clusters
            .iter()
            .map(|c| {
                c.keyword_ids
                    .iter()
                    .filter_map(|id| index.get(id.as_str()).copied())
                    .filter(|&i| !std::mem::replace(&mut placed[i], true))
                    .collect::<Vec<_>>()
            })
            .filter(|g| !g.is_empty())
            .collect();
        groups.extend((0..input.len()).filter(|&i| !placed[i]).map(|i| vec![i]));
        groups
    } else {
        let mut order: Vec<usize> = (0..input.len()).collect();
        order.sort_by_key(|&i| (normalize(&input[i].keyword), i));
        order.chunks(size).map(<[usize]>::to_vec).collect()
    };
    // largest first, then first fit
    groups.sort_by_key(|g| (std::cmp::Reverse(g.len()), g[0]));
    let mut batches: Vec<Vec<usize>> = vec![];
    for g in groups {
        match batches.iter_mut().find(|b| b.len() + g.len() <= size) {
            Some(b) => b.extend(g),
            None => batches.push(g),
        }
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_take_at_most_their_size_and_keep_topics_together() {
        let topics = [
            "espresso machine",
            "pour over kettle",
            "cold brew ratio",
            "french press",
            "moka pot",
            "aeropress recipe",
        ];
        let mods = [
            "best",
            "cheap",
            "how to use a",
            "buy",
            "review of a",
            "small",
            "quiet",
            "electric",
            "manual",
            "travel",
            "large",
            "used",
            "vintage",
            "modern",
            "simple",
            "fast",
            "slow",
            "easy",
            "pro",
            "home",
        ];
        let input: Vec<KeywordIn> = topics
            .iter()
            .flat_map(|t| mods.iter().map(move |m| format!("{m} {t}")))
            .enumerate()
            .map(|(i, k)| kw(&i.to_string(), &k, 100))
            .collect();
        assert_eq!(input.len(), 120);
        let batches = call_batches(&input, 20);
        assert!(batches.iter().all(|b| b.len() <= 20), "{batches:?}");
        let mut all: Vec<usize> = batches.iter().flatten().copied().collect();
        all.sort();
        assert_eq!(all, (0..120).collect::<Vec<_>>(), "every keyword once");
        assert!(batches.len() <= 8, "{}", batches.len());
        // a batch is mostly one topic
        for b in &batches {
            let first = topics
                .iter()
                .position(|t| input[b[0]].keyword.ends_with(t))
                .unwrap();
            let same = b
                .iter()
                .filter(|&&i| input[i].keyword.ends_with(topics[first]))
                .count();
            assert!(
                same * 2 > b.len(),
                "{:?}",
                b.iter().map(|&i| &input[i].keyword).collect::<Vec<_>>()
            );
        }
        assert_eq!(call_batches(&input[..3], 20), vec![vec![0, 1, 2]]);
        assert!(call_batches(&[], 20).is_empty());
    }

    #[test]
    fn a_description_counts_the_keywords_it_has_now() {
        let ks = [
            kw("1", "best running shoes", 900),
            kw("2", "trail running shoes", 300),
        ];
        let d = describe_keywords("Running Shoes", &ks);
        assert!(d.contains("2 keywords"), "{d}");
        assert!(d.contains("best running shoes"), "{d}");
        let d = describe_keywords("Running Shoes", &ks[..1]);
        assert!(d.contains("1 keyword,"), "{d}");
        assert_eq!(
            describe_keywords("Running Shoes", &[]),
            "Searches about running shoes: no keywords yet."
        );
    }

    fn kw(id: &str, keyword: &str, volume: i64) -> KeywordIn {
        KeywordIn {
            id: id.into(),
            keyword: keyword.into(),
            volume: Some(volume),
            intent: None,
        }
    }

    fn ids(c: &ClusterOut) -> Vec<&str> {
        c.keyword_ids.iter().map(String::as_str).collect()
    }

    #[test]
    fn empty_and_single_inputs() {
        let p = ClusterParams::default();
        assert!(cluster_keywords(&[], &p).clusters.is_empty());
        assert!(
            cluster_keywords(&[kw("1", "running shoes", 10)], &p)
                .clusters
                .is_empty()
        );
        // Junk that normalises to nothing does not panic.
        let junk = [kw("1", "?!", 0), kw("2", "...", 0), kw("3", "the of", 0)];
        assert!(cluster_keywords(&junk, &p).clusters.is_empty());
    }

    #[test]
    fn a_few_related_keywords_make_one_cluster() {
        let input = [
            kw("a", "best running shoes", 5000),
            kw("b", "running shoes for flat feet", 900),
            kw("c", "trail running shoes", 1200),
            kw("d", "running shoes sale", 300),
        ];
        let out = cluster_keywords(&input, &ClusterParams::default());
        assert_eq!(out.clusters.len(), 1, "{out:?}");
        let c = &out.clusters[0];
        assert_eq!(c.name, "Running Shoes");
        assert_eq!(ids(c), vec!["a", "c", "b", "d"]);
        assert!(c.description.contains("4 keywords"), "{}", c.description);
        assert!(
            c.description.contains("best running shoes"),
            "{}",
            c.description
        );

        // Two related keywords are still a cluster when nothing is bigger.
        let two = [
            kw("a", "sourdough starter", 10),
            kw("b", "sourdough starter recipe", 5),
        ];
        let out = cluster_keywords(&two, &ClusterParams::default());
        assert_eq!(out.clusters.len(), 1);
        assert_eq!(out.clusters[0].name, "Sourdough Starter");
    }

    #[test]
    fn unrelated_keywords_stay_apart() {
        let input = [
            kw("1", "running shoes", 10),
            kw("2", "kubernetes ingress", 10),
            kw("3", "sourdough bread", 10),
        ];
        assert!(
            cluster_keywords(&input, &ClusterParams::default())
                .clusters
                .is_empty()
        );
    }

    #[test]
    fn topics_separate_and_small_groups_are_dropped() {
        let input = [
            kw("r1", "best running shoes", 900),
            kw("r2", "running shoes for women", 800),
            kw("r3", "trail running shoes", 700),
            kw("r4", "running shoes for flat feet", 600),
            kw("s1", "sourdough bread recipe", 500),
            kw("s2", "sourdough starter", 400),
            kw("s3", "easy sourdough bread", 300),
            kw("s4", "sourdough discard recipes", 200),
            kw("x1", "kubernetes ingress", 100),
            kw("x2", "kubernetes pods", 100),
        ];
        let out = cluster_keywords(&input, &ClusterParams::default());
        let got: Vec<(&str, Vec<&str>)> = out
            .clusters
            .iter()
            .map(|c| (c.name.as_str(), ids(c)))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Running Shoes", vec!["r1", "r2", "r3", "r4"]),
                ("Sourdough Bread", vec!["s1", "s2", "s3", "s4"]),
            ]
        );
    }

    #[test]
    fn sub_topics_of_one_sector_stay_apart() {
        // Every keyword says "running"; the topics are what follows it.
        let topics = [
            [
                "best running shoes",
                "running shoes for flat feet",
                "trail running shoes",
                "running shoes sale",
                "cushioned running shoes",
            ],
            [
                "marathon training plan",
                "marathon training for beginners",
                "16 week marathon training schedule",
                "marathon running tips",
                "first marathon training",
            ],
            [
                "running socks",
                "best running socks for blisters",
                "merino wool running socks",
                "compression socks for running",
                "running socks women",
            ],
            [
                "best running watch",
                "garmin running watch",
                "running watch with gps",
                "cheap running watch",
                "apple watch for running",
            ],
        ];
        let input: Vec<KeywordIn> = topics
            .iter()
            .enumerate()
            .flat_map(|(t, ks)| {
                ks.iter()
                    .enumerate()
                    .map(move |(i, k)| kw(&format!("{t}-{i}"), k, 100))
            })
            .collect();
        let out = cluster_keywords(&input, &ClusterParams::default());
        let mut names: Vec<&str> = out.clusters.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "Marathon Training",
                "Running Shoes",
                "Running Socks",
                "Running Watch"
            ]
        );
        for c in &out.clusters {
            let topic = &c.keyword_ids[0][..1];
            assert!(
                c.keyword_ids.iter().all(|id| id.starts_with(topic)),
                "{c:?}"
            );
            assert_eq!(c.keyword_ids.len(), 5);
        }
    }

    #[test]
    fn max_size_splits_and_names_stay_unique() {
        let input: Vec<KeywordIn> = [
            "trail running shoes",
            "trail running shoes women",
            "waterproof trail running shoes",
            "trail running shoes for mud",
            "road running shoes",
            "road running shoes men",
            "road running shoes for marathons",
            "cushioned road running shoes",
        ]
        .iter()
        .enumerate()
        .map(|(i, k)| kw(&i.to_string(), k, 100 - i as i64))
        .collect();
        let params = ClusterParams {
            max_size: 4,
            ..ClusterParams::default()
        };
        let out = cluster_keywords(&input, &params);
        assert_eq!(out.clusters.len(), 2, "{out:?}");
        let names: Vec<&str> = out.clusters.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["Trail Running Shoes", "Road Running Shoes"]);
        assert!(
            out.clusters.iter().all(|c| c.keyword_ids.len() == 4),
            "{out:?}"
        );
    }

    #[test]
    fn duplicate_ids_are_clustered_once_and_order_does_not_matter() {
        let mut input = vec![
            kw("1", "electric bike battery", 10),
            kw("2", "folding electric bike", 20),
            kw("3", "electric bike conversion kit", 30),
            kw("3", "electric bike conversion kit", 30),
            kw("4", "electric mountain bike", 40),
        ];
        let a = cluster_keywords(&input, &ClusterParams::default());
        input.reverse();
        let b = cluster_keywords(&input, &ClusterParams::default());
        assert_eq!(a, b);
        assert_eq!(a.clusters.len(), 1);
        assert_eq!(ids(&a.clusters[0]), vec!["4", "3", "2", "1"]);
        assert_eq!(a.clusters[0].name, "Electric Bike");
    }

    #[test]
    fn odd_params_do_not_panic() {
        let input = [kw("1", "a b", 1), kw("2", "a b c", 1), kw("3", "a c", 1)];
        for params in [
            ClusterParams {
                similarity_threshold: f64::NAN,
                min_size: 0,
                max_size: 0,
            },
            ClusterParams {
                similarity_threshold: -1.0,
                min_size: 5,
                max_size: 1,
            },
            ClusterParams {
                similarity_threshold: 2.0,
                min_size: 1,
                max_size: 1000,
            },
        ] {
            let out = cluster_keywords(&input, &params);
            let mut seen = HashSet::new();
            assert!(
                out.clusters
                    .iter()
                    .flat_map(|c| &c.keyword_ids)
                    .all(|id| seen.insert(id))
            );
        }
    }

    #[test]
    fn output_round_trips_through_json() {
        let input = [
            kw("a", "cold brew coffee", 10),
            kw("b", "cold brew coffee ratio", 5),
            kw("c", "cold brew coffee maker", 5),
        ];
        let out = cluster_keywords(&input, &ClusterParams::default());
        let json = serde_json::to_string(&out).unwrap();
        assert_eq!(serde_json::from_str::<ClusterOutput>(&json).unwrap(), out);
        assert_eq!(out.clusters[0].name, "Cold Brew Coffee");
    }
}
