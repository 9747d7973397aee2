//! The article as blocks (headings, paragraphs, lists, a table) and their
//! HTML, escaped exactly as the sanitiser would write it.

use crate::ai::text::escape_html;
use crate::html::word_count;

/// Blocks of the article before rendering.
#[derive(Debug, Clone)]
pub(super) enum Block {
    H2(String),
    H3(String),
    /// Sentences; rendered as one or more paragraphs.
    P(Vec<String>),
    Ol(Vec<String>),
    Ul(Vec<String>),
    Table(Vec<String>, Vec<Vec<String>>),
}

/// Sentences per paragraph before a new `<p>` starts.
const SENTENCES_PER_PARAGRAPH: usize = 4;

pub(super) fn render(block: &Block, out: &mut String) {
    let e = escape_html;
    match block {
        Block::H2(h) => out.push_str(&format!("<h2>{}</h2>", e(h))),
        Block::H3(h) => out.push_str(&format!("<h3>{}</h3>", e(h))),
        Block::P(sentences) => {
            for chunk in sentences.chunks(SENTENCES_PER_PARAGRAPH) {
                out.push_str(&format!("<p>{}</p>", e(&chunk.join(" "))));
            }
        }
        Block::Ol(items) | Block::Ul(items) => {
            let tag = if matches!(block, Block::Ol(_)) {
                "ol"
            } else {
                "ul"
            };
            out.push_str(&format!("<{tag}>"));
            for item in items {
                out.push_str(&format!("<li>{}</li>", e(item)));
            }
            out.push_str(&format!("</{tag}>"));
        }
        Block::Table(head, rows) => {
            out.push_str("<table><thead><tr>");
            for h in head {
                out.push_str(&format!("<th>{}</th>", e(h)));
            }
            out.push_str("</tr></thead><tbody>");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    out.push_str(&format!("<td>{}</td>", e(cell)));
                }
                out.push_str("</tr>");
            }
            out.push_str("</tbody></table>");
        }
    }
    out.push('\n');
}

pub(super) fn render_all(blocks: &[Block]) -> String {
    let mut html = String::new();
    for b in blocks {
        render(b, &mut html);
    }
    html
}

/// Words a reader sees in a piece of plain text, counted exactly as
/// `crate::html::word_count` counts them in the rendered article.
pub(super) fn words_in(text: &str) -> i32 {
    word_count(&escape_html(text))
}
