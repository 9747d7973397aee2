//! Keyword CSV import and export (PLN-2, PLN-3). Import checks every row on
//! its own, so one bad row is reported with its line number and the rest of
//! the file still imports; only a file that cannot be read at all is refused.

use crate::planner::{
    DIFFICULTY_MAX, KeywordIntent, KeywordStatus, VOLUME_MAX, keyword_key, keyword_text,
};
use crate::validate::ValidationError;
use std::borrow::Cow;
use std::collections::HashSet;

/// Larger uploads are refused before parsing.
pub const MAX_CSV_BYTES: usize = 5 * 1024 * 1024;
/// Data rows (not counting the header and empty rows) one file may hold.
pub const MAX_CSV_ROWS: usize = 50_000;

/// One valid keyword row of an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvKeyword {
    /// 1-based physical line where the record starts (the header is line 1).
    pub line: usize,
    /// Display text, as [`keyword_text`] returns it.
    pub keyword: String,
    /// Uniqueness key, as [`keyword_key`] returns it.
    pub key: String,
    pub volume: Option<i64>,
    pub difficulty: Option<i32>,
    pub intent: Option<KeywordIntent>,
}

/// Why one row was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedCsv {
    pub rows: Vec<CsvKeyword>,
    pub errors: Vec<RowError>,
    /// Valid rows skipped because an earlier row has the same keyword key.
    pub duplicates_in_file: usize,
    /// Header cells of columns that were not read, as the file wrote them.
    pub ignored_columns: Vec<String>,
    /// The field separator found: `,`, `;` or a tab.
    pub delimiter: char,
    /// `UTF-8`, `UTF-16LE` or `UTF-16BE`.
    pub encoding: &'static str,
}

/// The columns igny8 reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Keyword,
    Volume,
    Difficulty,
    Intent,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Keyword => "keyword",
            Field::Volume => "volume",
            Field::Difficulty => "difficulty",
            Field::Intent => "intent",
        }
    }
}

/// Header names of the keyword tools' exports (compared trimmed, case-
/// and space-folded), each with its rank: when two columns name the same
/// field, the lower rank is read and the other reported as ignored; two of
/// the same rank are refused as ambiguous.
///
/// - Semrush: `Keyword`, `Intent`, `Volume` / `Search Volume`, `Keyword Difficulty` (older: `Keyword Difficulty Index`)
/// - Ahrefs: `Keyword`, `KD` / `Difficulty`, `Volume` (also `Global volume`, read only without `Volume`)
/// - Google Keyword Planner: `Keyword`, `Avg. monthly searches` (ranges such as `1K – 10K` without an
///   active campaign), `Competition (indexed value)` (0–100, read as difficulty)
/// - Moz: `Keyword`, `Monthly Volume` (or `Min Volume` / `Minimum Search Volume`), `Difficulty`
/// - Search Console: `Top queries` / `Query` (it has no volume: `Impressions` is not one)
const ALIASES: &[(&str, Field, u8)] = &[
    ("keyword", Field::Keyword, 0),
    ("keywords", Field::Keyword, 1),
    ("keyword phrase", Field::Keyword, 1),
    ("top queries", Field::Keyword, 2),
    ("query", Field::Keyword, 2),
    ("queries", Field::Keyword, 2),
    ("search query", Field::Keyword, 2),
    ("search term", Field::Keyword, 2),
    ("volume", Field::Volume, 0),
    ("search volume", Field::Volume, 1),
    ("avg. monthly searches", Field::Volume, 1),
    ("avg monthly searches", Field::Volume, 1),
    ("monthly volume", Field::Volume, 1),
    ("monthly search volume", Field::Volume, 1),
    ("min volume", Field::Volume, 2),
    ("minimum search volume", Field::Volume, 2),
    ("global volume", Field::Volume, 3),
    ("difficulty", Field::Difficulty, 0),
    ("keyword difficulty", Field::Difficulty, 1),
    ("kd", Field::Difficulty, 1),
    ("kd %", Field::Difficulty, 1),
    ("kd%", Field::Difficulty, 1),
    ("keyword difficulty index", Field::Difficulty, 2),
    ("competition (indexed value)", Field::Difficulty, 3),
    ("intent", Field::Intent, 0),
    ("intents", Field::Intent, 1),
    ("search intent", Field::Intent, 1),
    ("keyword intents", Field::Intent, 1),
];

/// A header cell as compared with [`ALIASES`].
fn header_name(cell: &str) -> String {
    cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn alias(cell: &str) -> Option<(Field, u8)> {
    let name = header_name(cell);
    ALIASES
        .iter()
        .find(|(a, _, _)| *a == name)
        .map(|(_, f, r)| (*f, *r))
}

fn file_error(message: impl Into<String>) -> ValidationError {
    ValidationError::new("csv", message)
}

/// Where each known column is in the file.
struct Columns {
    keyword: usize,
    volume: Option<usize>,
    difficulty: Option<usize>,
    intent: Option<usize>,
    width: usize,
}

impl Columns {
    /// The columns a header names, and the header cells it leaves unread.
    fn from_header(header: &csv::StringRecord) -> Result<(Self, Vec<String>), ValidationError> {
        // per field: (rank, column)
        let mut best: [Option<(u8, usize)>; 4] = [None; 4];
        let slot = |f: Field| match f {
            Field::Keyword => 0,
            Field::Volume => 1,
            Field::Difficulty => 2,
            Field::Intent => 3,
        };
        for (i, cell) in header.iter().enumerate() {
            let Some((field, rank)) = alias(cell) else {
                continue;
            };
            let b = &mut best[slot(field)];
            match *b {
                Some((r, _)) if r == rank => {
                    return Err(file_error(format!(
                        "the header has more than one {} column",
                        field.name()
                    )));
                }
                Some((r, _)) if r < rank => {}
                _ => *b = Some((rank, i)),
            }
        }
        let col = |f: Field| best[slot(f)].map(|(_, i)| i);
        let read: Vec<usize> = best.iter().flatten().map(|(_, i)| *i).collect();
        let ignored = header
            .iter()
            .enumerate()
            .filter(|(i, c)| !read.contains(i) && !c.trim().is_empty())
            .map(|(_, c)| c.trim().trim_start_matches('\u{feff}').to_owned())
            .collect();
        Ok((
            Columns {
                keyword: col(Field::Keyword)
                    .ok_or_else(|| file_error("the header has no keyword column"))?,
                volume: col(Field::Volume),
                difficulty: col(Field::Difficulty),
                intent: col(Field::Intent),
                width: header.len(),
            },
            ignored,
        ))
    }
}

/// Text of an upload: UTF-8 (a BOM is dropped) or UTF-16 — Google Keyword
/// Planner and Ahrefs' "Excel" exports are UTF-16LE — told by its BOM or,
/// without one, by the zero bytes of ASCII text.
fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), ValidationError> {
    let utf16 = |body: &[u8], le: bool, name: &'static str| {
        if !body.len().is_multiple_of(2) {
            return Err(file_error("the file is not valid UTF-16 text"));
        }
        let units = body.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let text: Result<String, _> = char::decode_utf16(units).collect();
        let text = text.map_err(|_| file_error("the file is not valid UTF-16 text"))?;
        Ok((Cow::Owned(text), name))
    };
    match bytes {
        [0xff, 0xfe, rest @ ..] => utf16(rest, true, "UTF-16LE"),
        [0xfe, 0xff, rest @ ..] => utf16(rest, false, "UTF-16BE"),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => utf16(bytes, true, "UTF-16LE"),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => utf16(bytes, false, "UTF-16BE"),
        _ => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| file_error("the file is not UTF-8 or UTF-16 text"))?;
            Ok((
                Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text)),
                "UTF-8",
            ))
        }
    }
}

/// Lines a header may come after (Keyword Planner puts a title and a date
/// range first).
const HEADER_SEARCH_RECORDS: usize = 6;

/// The delimiter of `text` and the index of its header record: of `,`,
/// `;` and tab, the one under which an early record names a keyword
/// column with the most cells. An Excel `sep=X` first line decides alone.
fn sniff(text: &str) -> (u8, usize, bool) {
    if let Some(first) = text.lines().next()
        && let Some(sep) = first.trim().strip_prefix("sep=")
        && let [d] = sep.as_bytes()
    {
        return (*d, 0, true);
    }
    let mut best: Option<(usize, u8, usize)> = None;
    for d in [b',', b';', b'\t'] {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(text.as_bytes());
        for (i, rec) in r.records().take(HEADER_SEARCH_RECORDS).enumerate() {
            let Ok(rec) = rec else { break };
            if rec
                .iter()
                .any(|c| matches!(alias(c), Some((Field::Keyword, _))))
            {
                if best.is_none_or(|(w, _, _)| rec.len() > w) {
                    best = Some((rec.len(), d, i));
                }
                break;
            }
        }
    }
    best.map_or((b',', 0, false), |(_, d, i)| (d, i, false))
}

/// Turns byte offsets of record starts into physical line numbers. Records
/// arrive in order, so counting newlines since the previous record keeps the
/// whole file linear.
struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            pos: 0,
            line: 1,
        }
    }

    /// The line of the record whose reading started at byte `start`. The
    /// reader skips blank lines before a record, so they are skipped here
    /// too: the line is where the record's first field is.
    fn line_at(&mut self, start: u64) -> usize {
        let len = self.text.len();
        let mut s = usize::try_from(start).map_or(len, |s| s.min(len));
        while s < len && matches!(self.text[s], b'\n' | b'\r') {
            s += 1;
        }
        if s < self.pos {
            // Not expected (positions only grow); count again from the top.
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.text[self.pos..s]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = s;
        self.line
    }
}

/// A cell value in an error message: quoted, escaped, and cut short.
fn show(value: &str) -> String {
    const MAX: usize = 40;
    let v = value.trim();
    if v.chars().count() > MAX {
        let cut: String = v.chars().take(MAX).collect();
        format!("{cut:?}…")
    } else {
        format!("{v:?}")
    }
}

enum NumberError {
    NotWhole,
    /// Well-formed but beyond i64.
    Huge {
        negative: bool,
    },
}

/// A whole number as spreadsheets write it: surrounding spaces, an optional
/// sign, and optional comma thousands separators (`1,200`; `1,2` is not a
/// number, so a decimal comma is never misread). Empty means none.
fn whole_number(cell: &str) -> Result<Option<i64>, NumberError> {
    let s = cell.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let (negative, digits) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let all_digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let well_formed = if digits.contains(',') {
        let mut groups = digits.split(',');
        let first = groups.next().unwrap_or_default();
        all_digits(first) && first.len() <= 3 && groups.all(|g| g.len() == 3 && all_digits(g))
    } else {
        all_digits(digits)
    };
    if !well_formed {
        return Err(NumberError::NotWhole);
    }
    let plain: String = digits.chars().filter(|&c| c != ',').collect();
    let magnitude: i64 = plain.parse().map_err(|_| NumberError::Huge { negative })?;
    Ok(Some(if negative { -magnitude } else { magnitude }))
}

/// A number as keyword tools write it: a whole number (see
/// [`whole_number`]), with a `K`/`M`/`B` multiplier (`1.5K`), a `%` sign,
/// or a range whose low end counts (`1K – 10K`, `100-1,000`); `n/a` and a
/// lone dash mean none.
fn tool_number(cell: &str) -> Result<Option<i64>, NumberError> {
    let s = cell.trim();
    if matches!(s.to_lowercase().as_str(), "n/a" | "na" | "-" | "–" | "—") {
        return Ok(None);
    }
    // a range: its low end (a leading `-` is a sign, not a range)
    let low = s
        .char_indices()
        .skip(1)
        .find(|&(_, c)| matches!(c, '–' | '—' | '-'))
        .map_or(s, |(i, _)| &s[..i])
        .trim();
    let low = low.strip_suffix('%').unwrap_or(low).trim();
    let multiplier = match low.chars().last().map(|c| c.to_ascii_lowercase()) {
        Some('k') => 1_000,
        Some('m') => 1_000_000,
        Some('b') => 1_000_000_000,
        _ => return whole_number(low),
    };
    let digits = low[..low.len() - 1].trim();
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || digits.bytes().filter(|&b| b == b'.').count() > 1
    {
        return Err(NumberError::NotWhole);
    }
    let v: f64 = digits.parse().map_err(|_| NumberError::NotWhole)?;
    let n = v * multiplier as f64;
    if n > i64::MAX as f64 {
        return Err(NumberError::Huge { negative: false });
    }
    Ok(Some(n.round() as i64))
}

fn volume_cell(cell: &str) -> Result<Option<i64>, String> {
    match tool_number(cell) {
        Ok(Some(v)) if v < 0 => Err(format!("volume {v} is negative")),
        Ok(Some(v)) if v > VOLUME_MAX => Err(format!("volume {v} is more than {VOLUME_MAX}")),
        Ok(v) => Ok(v),
        Err(NumberError::NotWhole) => Err(format!("volume {} is not a whole number", show(cell))),
        Err(NumberError::Huge { negative: true }) => {
            Err(format!("volume {} is negative", cell.trim()))
        }
        Err(NumberError::Huge { negative: false }) => {
            Err(format!("volume {} is more than {VOLUME_MAX}", cell.trim()))
        }
    }
}

fn difficulty_cell(cell: &str) -> Result<Option<i32>, String> {
    let outside =
        |v: &dyn std::fmt::Display| format!("difficulty {v} is outside 0–{DIFFICULTY_MAX}");
    match tool_number(cell) {
        Ok(None) => Ok(None),
        Ok(Some(v)) => i32::try_from(v)
            .ok()
            .filter(|v| (0..=DIFFICULTY_MAX).contains(v))
            .map(Some)
            .ok_or_else(|| outside(&v)),
        Err(NumberError::NotWhole) => {
            Err(format!("difficulty {} is not a whole number", show(cell)))
        }
        Err(NumberError::Huge { .. }) => Err(outside(&cell.trim())),
    }
}

fn intent_cell(cell: &str) -> Result<Option<KeywordIntent>, String> {
    if cell.trim().is_empty() {
        return Ok(None);
    }
    // Semrush lists several ("Commercial, Transactional"): the first counts
    let first = cell
        .split([',', ';', '|', '/'])
        .map(str::trim)
        .find(|p| !p.is_empty())
        .unwrap_or("");
    let code = match first.to_ascii_lowercase().as_str() {
        "i" => Some(KeywordIntent::Informational),
        "n" => Some(KeywordIntent::Navigational),
        "c" => Some(KeywordIntent::Commercial),
        "t" => Some(KeywordIntent::Transactional),
        _ => None,
    };
    if let Some(i) = code {
        return Ok(Some(i));
    }
    first.parse().map(Some).map_err(|_| {
        let names: Vec<&str> = KeywordIntent::ALL.iter().map(|i| i.as_str()).collect();
        format!("intent {} is not one of {}", show(cell), names.join(", "))
    })
}

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 4] = ['=', '+', '-', '@'];

/// Export side of the formula guard: a text cell that a spreadsheet would
/// run as a formula (or that already looks guarded) gets a leading `'`.
fn guard_formula(value: &str) -> Cow<'_, str> {
    if value.trim_start_matches('\'').starts_with(FORMULA_START) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// Import side of the formula guard: drops the one `'` that
/// [`guard_formula`] added, so exported files import unchanged.
fn unguard_formula(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_START) => rest,
        _ => value,
    }
}

fn keyword_cell(cell: &str) -> Result<String, String> {
    let cell = unguard_formula(cell.trim());
    match keyword_text(cell) {
        Ok(k) => Ok(k),
        Err(_) if cell.trim().is_empty() => Err("keyword is empty".to_owned()),
        Err(e) => Err(format!("keyword {} {}", show(cell), e.message)),
    }
}

/// Parses an uploaded keyword CSV (PLN-2) as igny8 or a keyword tool wrote
/// it. The file is UTF-8 (a BOM is dropped) or UTF-16; fields are separated
/// by `,`, `;` or tabs (found from the header); the header, within the first
/// few lines, names a keyword column by any name in [`ALIASES`]; volume,
/// difficulty and intent columns are optional, in any order; other columns
/// are listed in `ignored_columns`. Each bad row becomes a [`RowError`];
/// later rows repeating an earlier keyword are counted in
/// `duplicates_in_file` and dropped. Never panics, whatever the bytes.
pub fn parse_keywords_csv(bytes: &[u8]) -> Result<ParsedCsv, ValidationError> {
    if bytes.len() > MAX_CSV_BYTES {
        return Err(file_error(format!(
            "the file is larger than {} MiB",
            MAX_CSV_BYTES / (1024 * 1024)
        )));
    }
    let (text, encoding) = decode(bytes)?;
    // The reader ends records at a lone CR too, but counts lines by LF only;
    // one kind of line break keeps line numbers physical.
    let text: Cow<'_, str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    };

    let (delimiter, header_at, sep_line) = sniff(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    // the `sep=` line and any title lines before the header
    for _ in 0..header_at + usize::from(sep_line) {
        if !matches!(reader.read_record(&mut record), Ok(true)) {
            return Err(file_error("the header has no keyword column"));
        }
    }
    let (columns, ignored_columns) = match reader.read_record(&mut record) {
        Ok(true) => Columns::from_header(&record)?,
        _ => return Err(file_error("the header has no keyword column")),
    };

    let mut lines = LineCounter::new(text.as_bytes());
    let mut parsed = ParsedCsv {
        ignored_columns,
        delimiter: char::from(delimiter),
        encoding,
        ..ParsedCsv::default()
    };
    let mut seen = HashSet::new();
    let mut data_rows = 0usize;
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => {
                // Unreachable with UTF-8 text and flexible rows; report it
                // rather than trust that, and stop if the reader is stuck.
                parsed.errors.push(RowError {
                    line: lines.line_at(start),
                    message: "the row could not be read as CSV".to_owned(),
                });
                if reader.position().byte() <= start {
                    break;
                }
                continue;
            }
        }
        let line = lines.line_at(record.position().map_or(start, |p| p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        data_rows += 1;
        if data_rows > MAX_CSV_ROWS {
            return Err(file_error(format!(
                "the file has more than {MAX_CSV_ROWS} keyword rows"
            )));
        }
        if record.len() != columns.width {
            parsed.errors.push(RowError {
                line,
                message: format!(
                    "the row has {} fields but the header has {}",
                    record.len(),
                    columns.width
                ),
            });
            continue;
        }
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
        let keyword = keyword_cell(cell(Some(columns.keyword)));
        let volume = volume_cell(cell(columns.volume));
        let difficulty = difficulty_cell(cell(columns.difficulty));
        let intent = intent_cell(cell(columns.intent));
        match (keyword, volume, difficulty, intent) {
            (Ok(keyword), Ok(volume), Ok(difficulty), Ok(intent)) => {
                let key = keyword_key(&keyword);
                if seen.insert(key.clone()) {
                    parsed.rows.push(CsvKeyword {
                        line,
                        keyword,
                        key,
                        volume,
                        difficulty,
                        intent,
                    });
                } else {
                    parsed.duplicates_in_file += 1;
                }
            }
            (k, v, d, i) => {
                let problems: Vec<String> = [k.err(), v.err(), d.err(), i.err()]
                    .into_iter()
                    .flatten()
                    .collect();
                parsed.errors.push(RowError {
                    line,
                    message: problems.join("; "),
                });
            }
        }
    }
    Ok(parsed)
}

/// One keyword as exported (PLN-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvExportRow {
    pub keyword: String,
    pub volume: Option<i64>,
    pub difficulty: Option<i32>,
    pub intent: Option<KeywordIntent>,
    pub status: KeywordStatus,
    /// Cluster name.
    pub cluster: Option<String>,
    /// Sector name.
    pub sector: String,
    /// As the caller formats it (RFC 3339 recommended); this crate has no clock.
    pub created_at: String,
}

pub const EXPORT_HEADER: [&str; 8] = [
    "keyword",
    "volume",
    "difficulty",
    "intent",
    "status",
    "cluster",
    "sector",
    "created_at",
];

/// Writes keywords as CSV with a header, quoting as needed. Text cells that
/// a spreadsheet would run as formulas (`=`, `+`, `-`, `@` first) are
/// prefixed with `'`; [`parse_keywords_csv`] removes it again, so an export
/// imports back unchanged.
pub fn keywords_to_csv(rows: impl IntoIterator<Item = CsvExportRow>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail and every record has the header's width.
    writer
        .write_record(EXPORT_HEADER)
        .expect("writing CSV to memory");
    for row in rows {
        let volume = row.volume.map(|v| v.to_string()).unwrap_or_default();
        let difficulty = row.difficulty.map(|v| v.to_string()).unwrap_or_default();
        let cluster = row.cluster.as_deref().unwrap_or("");
        writer
            .write_record([
                guard_formula(&row.keyword).as_ref(),
                volume.as_str(),
                difficulty.as_str(),
                row.intent.map_or("", KeywordIntent::as_str),
                row.status.as_str(),
                guard_formula(cluster).as_ref(),
                guard_formula(&row.sector).as_ref(),
                guard_formula(&row.created_at).as_ref(),
            ])
            .expect("writing CSV to memory");
    }
    let bytes = writer.into_inner().expect("flushing CSV to memory");
    // Only `&str` went in, so this is UTF-8; lossy merely avoids a panic path.
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> ParsedCsv {
        parse_keywords_csv(text.as_bytes()).unwrap()
    }

    fn kw(line: usize, keyword: &str) -> CsvKeyword {
        CsvKeyword {
            line,
            keyword: keyword.into(),
            key: keyword_key(keyword),
            volume: None,
            difficulty: None,
            intent: None,
        }
    }

    fn lines_and_keywords(p: &ParsedCsv) -> Vec<(usize, &str)> {
        p.rows
            .iter()
            .map(|r| (r.line, r.keyword.as_str()))
            .collect()
    }

    fn errors(p: &ParsedCsv) -> Vec<(usize, &str)> {
        p.errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect()
    }

    fn file_err(bytes: &[u8]) -> String {
        let e = parse_keywords_csv(bytes).unwrap_err();
        assert_eq!(e.field, "csv");
        e.message
    }

    #[test]
    fn a_full_row_parses() {
        let p = parse("keyword,volume,difficulty,intent\nRunning Shoes,\"1,200\",45,Commercial\n");
        assert_eq!(
            p.rows,
            vec![CsvKeyword {
                volume: Some(1200),
                difficulty: Some(45),
                intent: Some(KeywordIntent::Commercial),
                ..kw(2, "Running Shoes")
            }]
        );
        assert!(p.errors.is_empty());
        assert_eq!(p.duplicates_in_file, 0);
    }

    /// (line, keyword) of every accepted row.
    type Accepted = &'static [(usize, &'static str)];

    /// Input → accepted rows.
    #[test]
    fn table_of_accepted_files() {
        let cases: &[(&str, &str, Accepted)] = &[
            (
                "only keyword column",
                "keyword\na\nb\n",
                &[(2, "a"), (3, "b")],
            ),
            ("no final newline", "keyword\na\nb", &[(2, "a"), (3, "b")]),
            ("BOM", "\u{feff}keyword\na\n", &[(2, "a")]),
            (
                "CRLF",
                "keyword,volume\r\na,1\r\nb,2\r\n",
                &[(2, "a"), (3, "b")],
            ),
            ("lone CR", "keyword\ra\rb\r", &[(2, "a"), (3, "b")]),
            (
                "mixed line ends",
                "keyword\r\na\nb\rc",
                &[(2, "a"), (3, "b"), (4, "c")],
            ),
            (
                "header order and case",
                " Intent ,VOLUME,Keyword,Difficulty\ninformational,10,a,5\n",
                &[(2, "a")],
            ),
            (
                "unknown columns ignored",
                "id,keyword,notes\n1,a,x\n",
                &[(2, "a")],
            ),
            (
                "quoted comma",
                "keyword\n\"shoes, red\"\n",
                &[(2, "shoes, red")],
            ),
            (
                "quoted quote",
                "keyword\n\"the \"\"best\"\" shoe\"\n",
                &[(2, "the \"best\" shoe")],
            ),
            (
                "embedded newline shifts lines",
                "keyword,volume\n\"two\nlines\",1\nnext,2\n",
                &[(2, "two lines"), (4, "next")],
            ),
            (
                "embedded CRLF shifts lines",
                "keyword\r\n\"a\r\nb\"\r\nc\r\n",
                &[(2, "a b"), (4, "c")],
            ),
            (
                "blank lines skipped",
                "keyword\n\na\n\n\nb\n",
                &[(3, "a"), (6, "b")],
            ),
            ("blank lines before header", "\n\nkeyword\na\n", &[(4, "a")]),
            (
                "empty cells row skipped",
                "keyword,volume\n,\n  , \na,\n",
                &[(4, "a")],
            ),
            (
                "whitespace collapsed",
                "keyword\n\"  big   red\tshoe \"\n",
                &[(2, "big red shoe")],
            ),
            ("header only", "keyword,volume\n", &[]),
            (
                "formula guard removed",
                "keyword\n'=SUM(A1)\n'-5 degrees\n",
                &[(2, "=SUM(A1)"), (3, "-5 degrees")],
            ),
            (
                "plain apostrophe kept",
                "keyword\n'tis the season\n",
                &[(2, "'tis the season")],
            ),
        ];
        for (name, input, want) in cases {
            let p = parse_keywords_csv(input.as_bytes())
                .unwrap_or_else(|e| panic!("{name}: refused: {}", e.message));
            assert_eq!(&lines_and_keywords(&p), want, "{name}");
            assert!(p.errors.is_empty(), "{name}: {:?}", p.errors);
        }
    }

    #[test]
    fn numbers_and_intents_are_read_leniently() {
        let p = parse(
            "keyword,volume,difficulty,intent\n\
             a, 1200 , 7 , INFORMATIONAL \n\
             b,\" 1,200,000 \",+0,\n\
             c,,,\n",
        );
        let got: Vec<_> = p
            .rows
            .iter()
            .map(|r| (r.volume, r.difficulty, r.intent))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(1200), Some(7), Some(KeywordIntent::Informational)),
                (Some(1_200_000), Some(0), None),
                (None, None, None),
            ]
        );
    }

    /// Input row (under a full header) → the error message.
    #[test]
    fn table_of_row_errors() {
        let cases: &[(&str, &str)] = &[
            ("a,1,abc,", "difficulty \"abc\" is not a whole number"),
            ("a,1,140,", "difficulty 140 is outside 0–100"),
            ("a,1,-1,", "difficulty -1 is outside 0–100"),
            ("a,1,4.5,", "difficulty \"4.5\" is not a whole number"),
            (
                "a,1,99999999999999999999,",
                "difficulty 99999999999999999999 is outside 0–100",
            ),
            ("a,-5,,", "volume -5 is negative"),
            ("a,\"1,2\",,", "volume \"1,2\" is not a whole number"),
            ("a,12x,,", "volume \"12x\" is not a whole number"),
            ("a,1.2.3k,,", "volume \"1.2.3k\" is not a whole number"),
            (
                "a,2000000000,,",
                "volume 2000000000 is more than 1000000000",
            ),
            (
                "a,99999999999999999999,,",
                "volume 99999999999999999999 is more than 1000000000",
            ),
            (
                "a,-99999999999999999999,,",
                "volume -99999999999999999999 is negative",
            ),
            (
                "a,,,maybe",
                "intent \"maybe\" is not one of informational, navigational, commercial, transactional",
            ),
            (",1,,", "keyword is empty"),
            ("\"   \",1,,", "keyword is empty"),
            (
                "\"a\u{7}b\",,,",
                "keyword \"a\\u{7}b\" must not contain control characters",
            ),
            ("a,1", "the row has 2 fields but the header has 4"),
            (
                "a,1,2,commercial,extra",
                "the row has 5 fields but the header has 4",
            ),
            (
                ",-1,abc,no",
                "keyword is empty; volume -1 is negative; difficulty \"abc\" is not a whole number; intent \"no\" is not one of informational, navigational, commercial, transactional",
            ),
        ];
        for (row, want) in cases {
            let input = format!("keyword,volume,difficulty,intent\nok,1,1,\n{row}\nfine,,,\n");
            let p = parse(&input);
            assert_eq!(errors(&p), vec![(3, *want)], "row {row:?}");
            assert_eq!(
                lines_and_keywords(&p),
                vec![(2, "ok"), (4, "fine")],
                "row {row:?}"
            );
        }
    }

    /// (keyword, volume, difficulty, intent) of one row.
    type ExportRow = (
        &'static str,
        Option<i64>,
        Option<i32>,
        Option<KeywordIntent>,
    );

    /// A keyword tool's export: (keyword, volume, difficulty, intent) of
    /// its rows, its delimiter and encoding, and the columns left unread.
    struct Export {
        file: &'static [u8],
        rows: &'static [ExportRow],
        delimiter: char,
        encoding: &'static str,
        ignored: &'static [&'static str],
    }

    #[test]
    fn keyword_tools_exports_import_with_volume_and_difficulty() {
        use KeywordIntent::*;
        let exports = [
            (
                "semrush",
                Export {
                    file: include_bytes!("../tests/fixtures/imports/semrush.csv"),
                    rows: &[
                        (
                            "best espresso machine",
                            Some(33100),
                            Some(78),
                            Some(Commercial),
                        ),
                        (
                            "espresso machine under 200",
                            Some(2900),
                            Some(45),
                            Some(Commercial),
                        ),
                        (
                            "how to descale an espresso machine",
                            Some(1900),
                            Some(29),
                            Some(Informational),
                        ),
                    ],
                    delimiter: ',',
                    encoding: "UTF-8",
                    ignored: &[
                        "Trend",
                        "CPC (USD)",
                        "Competitive Density",
                        "SERP Features",
                        "Number of Results",
                    ],
                },
            ),
            (
                "semrush, semicolons",
                Export {
                    file: include_bytes!("../tests/fixtures/imports/semrush_semicolon.csv"),
                    rows: &[
                        ("cold brew ratio", Some(8100), Some(34), Some(Informational)),
                        (
                            "cold brew coffee maker",
                            Some(14800),
                            Some(61),
                            Some(Commercial),
                        ),
                    ],
                    delimiter: ';',
                    encoding: "UTF-8",
                    ignored: &[
                        "Position",
                        "Previous position",
                        "CPC",
                        "URL",
                        "Traffic",
                        "Traffic (%)",
                        "Traffic Cost",
                        "Competition",
                        "Number of Results",
                        "Trends",
                        "Timestamp",
                        "SERP Features by Keyword",
                        "Position Type",
                    ],
                },
            ),
            (
                "ahrefs, UTF-16 tabs",
                Export {
                    file: include_bytes!("../tests/fixtures/imports/ahrefs.csv"),
                    rows: &[
                        ("french press ratio", Some(6700), Some(12), None),
                        ("best french press", Some(9900), Some(38), None),
                        ("french press vs pour over", Some(1300), Some(8), None),
                    ],
                    delimiter: '\t',
                    encoding: "UTF-16LE",
                    ignored: &[
                        "Current position",
                        "CPC",
                        "Organic traffic",
                        "Current URL",
                        "SERP features",
                    ],
                },
            ),
            (
                "ahrefs keywords explorer",
                Export {
                    file: include_bytes!("../tests/fixtures/imports/ahrefs_keywords_explorer.csv"),
                    rows: &[
                        ("moka pot", Some(27000), Some(21), None),
                        ("how to use a moka pot", Some(5400), Some(6), None),
                    ],
                    delimiter: ',',
                    encoding: "UTF-8",
                    ignored: &[
                        "#",
                        "Country",
                        "CPC",
                        "CPS",
                        "Parent Keyword",
                        "Last Update",
                        "SERP Features",
                        "Global volume",
                        "Traffic potential",
                    ],
                },
            ),
            (
                "keyword planner",
                Export {
                    file: include_bytes!("../tests/fixtures/imports/keyword_planner.csv"),
                    rows: &[
                        ("espresso beans", Some(10_000), Some(100), None),
                        ("decaf espresso beans", Some(1000), Some(89), None),
                        ("espresso bean grinder", Some(100), Some(47), None),
                    ],
                    delimiter: '\t',
                    encoding: "UTF-16LE",
                    ignored: &[
                        "Currency",
                        "Three month change",
                        "YoY change",
                        "Competition",
                        "Top of page bid (low range)",
                        "Top of page bid (high range)",
                    ],
                },
            ),
            (
                "moz",
                Export {
                    file: include_bytes!("../tests/fixtures/imports/moz.csv"),
                    rows: &[
                        ("pour over coffee", Some(11_500), Some(48), None),
                        ("pour over kettle", Some(501), Some(33), None),
                        ("pour over ratio", Some(1700), Some(17), None),
                    ],
                    delimiter: ',',
                    encoding: "UTF-8",
                    ignored: &["Organic CTR", "Priority"],
                },
            ),
            (
                "search console",
                Export {
                    file: include_bytes!("../tests/fixtures/imports/search_console.csv"),
                    rows: &[
                        ("aeropress recipe", None, None, None),
                        ("aeropress vs french press", None, None, None),
                    ],
                    delimiter: ',',
                    encoding: "UTF-8",
                    ignored: &["Clicks", "Impressions", "CTR", "Position"],
                },
            ),
        ];
        for (name, e) in exports {
            let p = parse_keywords_csv(e.file)
                .unwrap_or_else(|err| panic!("{name}: refused: {}", err.message));
            assert!(p.errors.is_empty(), "{name}: {:?}", p.errors);
            let got: Vec<_> = p
                .rows
                .iter()
                .map(|r| (r.keyword.as_str(), r.volume, r.difficulty, r.intent))
                .collect();
            assert_eq!(got, e.rows, "{name}");
            assert_eq!(p.delimiter, e.delimiter, "{name}");
            assert_eq!(p.encoding, e.encoding, "{name}");
            assert_eq!(p.ignored_columns, e.ignored, "{name}");
        }
        // Keyword Planner's rows start after two title lines: line numbers stay physical
        let gkp = parse_keywords_csv(include_bytes!(
            "../tests/fixtures/imports/keyword_planner.csv"
        ))
        .unwrap();
        assert_eq!(gkp.rows[0].line, 4);
    }

    #[test]
    fn tool_numbers_take_multipliers_and_the_low_end_of_ranges() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1K – 10K", Some(1000)),
            ("1K–10K", Some(1000)),
            ("100 - 1,000", Some(100)),
            ("1.5K", Some(1500)),
            ("12k", Some(12_000)),
            ("2M", Some(2_000_000)),
            ("45%", Some(45)),
            ("n/a", None),
            ("-", None),
            ("", None),
            ("-5", Some(-5)),
        ];
        for (cell, want) in cases {
            assert_eq!(tool_number(cell).ok(), Some(*want), "{cell:?}");
        }
        assert!(tool_number("k").is_err());
        assert!(tool_number("1..2k").is_err());
    }

    #[test]
    fn delimiters_are_found_from_the_header() {
        let p = parse("keyword;volume;difficulty\n\"a; b\";1.200;5\nc;10;\n");
        assert_eq!(p.delimiter, ';');
        assert_eq!(lines_and_keywords(&p), vec![(3, "c")]);
        assert_eq!(
            errors(&p),
            vec![(2, "volume \"1.200\" is not a whole number")]
        );
        let p = parse("sep=;\nkeyword;volume\na;5\n");
        assert_eq!(lines_and_keywords(&p), vec![(3, "a")]);
        assert_eq!(p.rows[0].volume, Some(5));
        let p = parse("Keyword\tSearch Volume\tKD\na\t5\t7\n");
        assert_eq!((p.rows[0].volume, p.rows[0].difficulty), (Some(5), Some(7)));
        // commas inside a tab-separated file's cells stay in the cell
        let p = parse("Keyword\tVolume\nshoes, red\t1,200\n");
        assert_eq!(p.rows[0].keyword, "shoes, red");
        assert_eq!(p.rows[0].volume, Some(1200));
    }

    #[test]
    fn the_better_named_column_wins_and_the_other_is_reported() {
        let p = parse("Keyword,Global volume,Volume\na,900,100\n");
        assert_eq!(p.rows[0].volume, Some(100));
        assert_eq!(p.ignored_columns, vec!["Global volume"]);
        assert_eq!(
            file_err(b"Keyword,KD,Keyword Difficulty\na,1,2\n"),
            "the header has more than one difficulty column"
        );
    }

    #[test]
    fn long_keywords_are_refused_and_shown_short() {
        let p = parse(&format!("keyword\n{}\n", "x".repeat(201)));
        let msg = &p.errors[0].message;
        assert!(msg.ends_with("must be at most 200 characters"), "{msg}");
        assert!(msg.chars().count() < 100, "{msg}");
    }

    #[test]
    fn duplicates_in_the_file_are_skipped_and_counted() {
        let p = parse("keyword,volume\nRed Shoes,10\n red  shoes ,20\nRED SHOES,\nblue,1\n");
        assert_eq!(lines_and_keywords(&p), vec![(2, "Red Shoes"), (5, "blue")]);
        assert_eq!(p.rows[0].volume, Some(10));
        assert_eq!(p.duplicates_in_file, 2);
        // An invalid first occurrence does not claim the keyword.
        let p = parse("keyword,volume\na,-1\nA,5\n");
        assert_eq!(lines_and_keywords(&p), vec![(3, "A")]);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.duplicates_in_file, 0);
    }

    #[test]
    fn unreadable_files_are_refused_whole() {
        let no_keyword = "the header has no keyword column";
        assert_eq!(file_err(b""), no_keyword);
        assert_eq!(file_err(b"\xef\xbb\xbf"), no_keyword);
        assert_eq!(file_err(b"\n\n\n"), no_keyword);
        assert_eq!(file_err(b"volume,intent\n10,commercial\n"), no_keyword);
        assert_eq!(file_err(b"running shoes\nred shoes\n"), no_keyword);
        assert_eq!(
            file_err("\u{1}\u{2}junk,\u{7f}\u{3}".as_bytes()),
            no_keyword
        );
        assert_eq!(
            file_err(b"keyword,Keyword\na,b\n"),
            "the header has more than one keyword column"
        );
        assert_eq!(
            file_err(b"keyword\n\xff\xfe\n"),
            "the file is not UTF-8 or UTF-16 text"
        );
        assert_eq!(file_err(b"\xff\xfek\x00e\x00y\x00"), no_keyword);
        assert_eq!(
            file_err(b"\xff\xfek\x00e"),
            "the file is not valid UTF-16 text"
        );
        assert_eq!(
            file_err(b"\xff\xfe\x00\xd8a\x00"),
            "the file is not valid UTF-16 text"
        );
    }

    #[test]
    fn oversize_files_are_refused() {
        let mut big = b"keyword\n".to_vec();
        big.resize(MAX_CSV_BYTES + 1, b'a');
        assert_eq!(file_err(&big), "the file is larger than 5 MiB");
        big.truncate(MAX_CSV_BYTES);
        assert!(parse_keywords_csv(&big).is_ok());
    }

    #[test]
    fn too_many_rows_are_refused() {
        let mut text = String::from("keyword\n");
        for i in 0..MAX_CSV_ROWS {
            text.push_str(&format!("k{i}\n"));
        }
        let p = parse(&text);
        assert_eq!(p.rows.len(), MAX_CSV_ROWS);
        assert_eq!(p.rows.last().unwrap().line, MAX_CSV_ROWS + 1);
        // Empty rows do not count towards the limit.
        assert!(parse_keywords_csv(format!("{text},\n\n").as_bytes()).is_ok());
        text.push_str("one more\n");
        assert_eq!(
            file_err(text.as_bytes()),
            "the file has more than 50000 keyword rows"
        );
    }

    fn export_row(keyword: &str) -> CsvExportRow {
        CsvExportRow {
            keyword: keyword.into(),
            volume: None,
            difficulty: None,
            intent: None,
            status: KeywordStatus::Active,
            cluster: None,
            sector: "Shoes".into(),
            created_at: "2025-01-02T03:04:05Z".into(),
        }
    }

    #[test]
    fn export_writes_a_header_and_quotes() {
        let out = keywords_to_csv([
            CsvExportRow {
                volume: Some(1200),
                difficulty: Some(30),
                intent: Some(KeywordIntent::Commercial),
                cluster: Some("Footwear, \"men\"".into()),
                ..export_row("red shoes")
            },
            CsvExportRow {
                status: KeywordStatus::Archived,
                ..export_row("=HYPERLINK(\"x\")")
            },
        ]);
        assert_eq!(
            out,
            "keyword,volume,difficulty,intent,status,cluster,sector,created_at\n\
             red shoes,1200,30,commercial,active,\"Footwear, \"\"men\"\"\",Shoes,2025-01-02T03:04:05Z\n\
             \"'=HYPERLINK(\"\"x\"\")\",,,,archived,,Shoes,2025-01-02T03:04:05Z\n"
        );
        assert_eq!(
            keywords_to_csv([]),
            format!("{}\n", EXPORT_HEADER.join(","))
        );
    }

    #[test]
    fn export_then_import_round_trips() {
        let rows = vec![
            CsvExportRow {
                volume: Some(1_000_000_000),
                difficulty: Some(100),
                intent: Some(KeywordIntent::Transactional),
                ..export_row("buy shoes, cheap")
            },
            export_row("the \"best\" shoe"),
            CsvExportRow {
                volume: Some(0),
                difficulty: Some(0),
                intent: Some(KeywordIntent::Navigational),
                ..export_row("-minus first")
            },
            export_row("'=quoted formula"),
            export_row("école d'été"),
        ];
        let csv = keywords_to_csv(rows.clone());
        let p = parse(&csv);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let back: Vec<_> = p
            .rows
            .iter()
            .map(|r| (r.keyword.as_str(), r.volume, r.difficulty, r.intent))
            .collect();
        let want: Vec<_> = rows
            .iter()
            .map(|r| (r.keyword.as_str(), r.volume, r.difficulty, r.intent))
            .collect();
        assert_eq!(back, want);
    }

    fn check_lines(bytes: &[u8]) -> Result<(), TestCaseError> {
        if let Ok(p) = parse_keywords_csv(bytes) {
            for line in p
                .rows
                .iter()
                .map(|r| r.line)
                .chain(p.errors.iter().map(|e| e.line))
            {
                prop_assert!(
                    line >= 2,
                    "line {} in {:?}",
                    line,
                    String::from_utf8_lossy(bytes)
                );
            }
        }
        Ok(())
    }

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 2000,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            check_lines(&bytes)?;
        }

        #[test]
        fn csv_like_text_never_panics(text in "[a-zA-Z0-9,\"\r\n '=-]{0,300}") {
            check_lines(text.as_bytes())?;
        }

        #[test]
        fn csv_like_rows_under_a_header_never_panic(
            header in "(keyword|KEYWORD|volume|difficulty|intent|x)(,(keyword|volume|difficulty|intent| Keyword |x)){0,4}",
            end in "\r|\n|\r\n",
            body in "[a-z0-9,\"\r\n '=-]{0,300}",
            bom in any::<bool>(),
        ) {
            let text = format!("{}{header}{end}{body}", if bom { "\u{feff}" } else { "" });
            check_lines(text.as_bytes())?;
        }

        #[test]
        fn exported_keywords_import_unchanged(
            keyword in "[a-zA-Z0-9'=+@\"-][a-zA-Z0-9 ,'=+@\"é-]{0,40}",
            volume in proptest::option::of(0i64..=VOLUME_MAX),
            difficulty in proptest::option::of(0i32..=DIFFICULTY_MAX),
        ) {
            let keyword = keyword_text(&keyword).unwrap_or_else(|_| "k".into());
            let csv = keywords_to_csv([CsvExportRow { volume, difficulty, ..export_row(&keyword) }]);
            let p = parse_keywords_csv(csv.as_bytes()).unwrap();
            prop_assert_eq!(p.errors, vec![]);
            prop_assert_eq!(p.rows.len(), 1);
            prop_assert_eq!(&p.rows[0].keyword, &keyword);
            prop_assert_eq!((p.rows[0].volume, p.rows[0].difficulty), (volume, difficulty));
        }
    }
}
