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
    fn from_header(header: &csv::StringRecord) -> Result<Self, ValidationError> {
        let (mut keyword, mut volume, mut difficulty, mut intent) = (None, None, None, None);
        for (i, cell) in header.iter().enumerate() {
            let name = cell.trim().to_lowercase();
            let slot = match name.as_str() {
                "keyword" => &mut keyword,
                "volume" => &mut volume,
                "difficulty" => &mut difficulty,
                "intent" => &mut intent,
                _ => continue,
            };
            if slot.is_some() {
                return Err(file_error(format!(
                    "the header has more than one {name} column"
                )));
            }
            *slot = Some(i);
        }
        Ok(Columns {
            keyword: keyword.ok_or_else(|| file_error("the header has no keyword column"))?,
            volume,
            difficulty,
            intent,
            width: header.len(),
        })
    }
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

fn volume_cell(cell: &str) -> Result<Option<i64>, String> {
    match whole_number(cell) {
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
    match whole_number(cell) {
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
    cell.parse().map(Some).map_err(|_| {
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

/// Parses an uploaded keyword CSV (PLN-2). The file must be UTF-8 (a BOM is
/// dropped) with a header naming a `keyword` column; `volume`, `difficulty`
/// and `intent` columns are optional, in any order, and other columns are
/// ignored. Each bad row becomes a [`RowError`]; later rows repeating an
/// earlier keyword are counted in `duplicates_in_file` and dropped. Never
/// panics, whatever the bytes.
pub fn parse_keywords_csv(bytes: &[u8]) -> Result<ParsedCsv, ValidationError> {
    if bytes.len() > MAX_CSV_BYTES {
        return Err(file_error(format!(
            "the file is larger than {} MiB",
            MAX_CSV_BYTES / (1024 * 1024)
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| file_error("the file is not UTF-8 text"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The reader ends records at a lone CR too, but counts lines by LF only;
    // one kind of line break keeps line numbers physical.
    let text: Cow<'_, str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let columns = match reader.read_record(&mut record) {
        Ok(true) => Columns::from_header(&record)?,
        _ => return Err(file_error("the header has no keyword column")),
    };

    let mut lines = LineCounter::new(text.as_bytes());
    let mut parsed = ParsedCsv::default();
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
            ("a,12k,,", "volume \"12k\" is not a whole number"),
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
            "the file is not UTF-8 text"
        );
        assert_eq!(
            file_err(b"\xff\xfek\x00e\x00y\x00"),
            "the file is not UTF-8 text"
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
