//! Content HTML (WRT-2): the sanitiser every stored body goes through, and
//! the visible text and word count derived from it.
//!
//! Bodies come from the AI and from users, and are shown in the web client
//! and published to WordPress, so only an article allow-list survives.

use ammonia::{Builder, UrlRelative};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Elements an article body may use.
const ARTICLE_TAGS: &[&str] = &[
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "pre",
    "span",
    "div",
    "section",
    "article",
    "header",
    "footer",
];

/// Elements dropped together with everything inside them: their content is
/// code, fallback or widget text, never part of the article. (Any other
/// element outside the allow-list is unwrapped and its text kept.)
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "noscript", "noembed", "noframes", "template", "object", "svg",
    "math", "title", "textarea", "select",
];

/// Elements that separate words when rendered (block boxes, cells, line
/// breaks, images). Inline elements such as `<strong>` do not: `foo<b>bar</b>`
/// is one word.
const WORD_BREAKING_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "img",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// True for URLs whose scheme is http or https, and for relative URLs. Tabs
/// and newlines are removed first, as browsers do (`java\tscript:`).
fn is_http_or_relative(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = url.trim_matches(|c: char| c <= ' ');
    let Some((scheme, _)) = url.split_once(':') else {
        return true;
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A colon after a path character (`/a:b`, `./x:y`) is part of a relative URL.
    !is_scheme || scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// Narrows what ammonia's allow-list lets through: `mailto:` is fine for
/// links but not as an image source, and sizes must be plain pixel counts.
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        ("img", "src") => is_http_or_relative(value).then_some(Cow::Borrowed(value)),
        ("img", "width" | "height") => {
            let v = value.trim();
            (!v.is_empty() && v.len() <= 5 && v.bytes().all(|b| b.is_ascii_digit()))
                .then_some(Cow::Borrowed(v))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::empty();
    b.tags(ARTICLE_TAGS.iter().copied().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(HashMap::from([
            ("a", HashSet::from(["href", "title"])),
            (
                "img",
                HashSet::from(["src", "alt", "title", "width", "height"]),
            ),
        ]))
        .tag_attribute_values(HashMap::new())
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .attribute_filter(filter_attribute);
    b
});

/// Keeps only elements that mark word boundaries, with no attributes, so
/// the serialised result is plain text plus bare tags that are easy to read
/// back exactly.
static TEXT_EXTRACTOR: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::empty();
    b.tags(WORD_BREAKING_TAGS.iter().copied().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(HashMap::new())
        .tag_attribute_values(HashMap::new())
        .link_rel(None)
        .strip_comments(true);
    b
});

/// Cleans an article body for storage and display: the allow-listed
/// elements and attributes only; links get `rel="noopener noreferrer"` and
/// may point to http, https, mailto or relative URLs; images load from
/// http, https or relative URLs. Scripts, styles, frames, event handlers and
/// `javascript:` URLs are removed.
pub fn sanitize_html(raw: &str) -> String {
    SANITIZER.clean(raw).to_string()
}

/// The text a reader sees, whitespace collapsed to single spaces. Block
/// elements and line breaks separate words; script and style content is
/// not text; entities are decoded (`&nbsp;` becomes a space).
pub fn plain_text(html: &str) -> String {
    let bare = TEXT_EXTRACTOR.clean(html).to_string();
    // The serialiser escapes only these in text; `&quot;` only in attributes
    // (there are none), kept for safety.
    const ENTITIES: [(&str, &str); 5] = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&nbsp;", " "),
        ("&quot;", "\""),
    ];
    let mut text = String::with_capacity(bare.len());
    let mut rest = bare.as_str();
    while let Some(i) = rest.find(['<', '&']) {
        text.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            // A bare tag (no attributes survive), so the first `>` ends it.
            text.push(' ');
            rest = rest.find('>').map_or("", |j| &rest[j + 1..]);
        } else {
            let (decoded, len) = ENTITIES
                .iter()
                .find(|(entity, _)| rest.starts_with(entity))
                .map_or(("&", 1), |(entity, decoded)| (*decoded, entity.len()));
            text.push_str(decoded);
            rest = &rest[len..];
        }
    }
    text.push_str(rest);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Characters that join two word characters into one word: apostrophes
/// (`don't`, `it’s`) and hyphens (`stop-motion`, Hebrew maqaf).
const JOINERS: [char; 6] = ['\'', '\u{2019}', '-', '\u{2010}', '\u{2011}', '\u{05BE}'];

/// Combining marks and joiners that continue a word although they are not
/// alphanumeric (accents written as separate code points, Indic viramas,
/// Hebrew and Arabic points, ZWJ/ZWNJ). An approximation of the Unicode
/// mark categories, which std does not expose.
const MARK_RANGES: &[(char, char)] = &[
    ('\u{0300}', '\u{036F}'),
    ('\u{0483}', '\u{0489}'),
    ('\u{0591}', '\u{05BD}'),
    ('\u{05BF}', '\u{05BF}'),
    ('\u{05C1}', '\u{05C2}'),
    ('\u{05C4}', '\u{05C5}'),
    ('\u{05C7}', '\u{05C7}'),
    ('\u{0610}', '\u{061A}'),
    ('\u{064B}', '\u{065F}'),
    ('\u{0670}', '\u{0670}'),
    ('\u{06D6}', '\u{06ED}'),
    // Indic scripts, less the danda, double danda and abbreviation sign.
    ('\u{0900}', '\u{0963}'),
    ('\u{0966}', '\u{096F}'),
    ('\u{0971}', '\u{0DFF}'),
    ('\u{0E31}', '\u{0E3A}'),
    ('\u{0E47}', '\u{0E4E}'),
    ('\u{1AB0}', '\u{1AFF}'),
    ('\u{1DC0}', '\u{1DFF}'),
    ('\u{200C}', '\u{200D}'),
    ('\u{20D0}', '\u{20FF}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{FE20}', '\u{FE2F}'),
];

fn is_mark(c: char) -> bool {
    MARK_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// Words are runs of alphanumeric characters (any script), kept together by
/// combining marks, by an apostrophe or hyphen between two of them, and by
/// `.` or `,` between two digits (`3.5`, `1,200`).
fn count_words(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            if !in_word {
                count += 1;
                in_word = true;
            }
        } else if in_word {
            let next = chars.peek().copied();
            let joins = next.is_some_and(char::is_alphanumeric)
                && (JOINERS.contains(&c)
                    || (matches!(c, '.' | ',')
                        && prev.is_some_and(|p| p.is_ascii_digit())
                        && next.is_some_and(|n| n.is_ascii_digit())));
            in_word = joins || is_mark(c);
        }
        prev = Some(c);
    }
    count
}

/// Words of the visible text of `html` (see [`plain_text`]).
pub fn word_count(html: &str) -> i32 {
    i32::try_from(count_words(&plain_text(html))).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn xss_vectors_are_removed() {
        let cases: &[(&str, &str)] = &[
            ("<img src=x onerror=alert(1)>", "<img src=\"x\">"),
            (
                "<a href=\"javascript:alert(1)\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"java&#x09;script:alert(1)\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            ("<script>alert(1)</script>ok", "ok"),
            ("<SCRIPT SRC=//evil.js></SCRIPT>ok", "ok"),
            ("<style>body{display:none}</style>ok", "ok"),
            ("<svg onload=alert(1)><circle r=1 /></svg>ok", "ok"),
            ("<svg><script>alert(1)</script></svg>ok", "ok"),
            (
                "<iframe src=\"https://evil.example\">fallback</iframe>ok",
                "ok",
            ),
            (
                "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>ok",
                "ok",
            ),
            (
                "<p onclick=\"alert(1)\" style=\"x\" class=\"c\" id=\"i\">t</p>",
                "<p>t</p>",
            ),
            ("<div onmouseover=alert(1)>t</div>", "<div>t</div>"),
            ("<img src=\"data:image/png;base64,AAAA\">", "<img>"),
            ("<img src=\"javascript:alert(1)\">", "<img>"),
            ("<img src=\"mailto:a@example.com\">", "<img>"),
            ("<img src=\"java\nscript:alert(1)\">", "<img>"),
            ("<object data=\"x.swf\">fallback</object>ok", "ok"),
            ("<embed src=\"x.swf\">ok", "ok"),
            (
                "<form action=\"/steal\"><input name=p><button>Go</button></form>",
                "Go",
            ),
            (
                "<meta http-equiv=refresh content=0;url=https://evil>ok",
                "ok",
            ),
            ("<link rel=stylesheet href=//evil.css>ok", "ok"),
            ("<base href=\"https://evil.example/\">ok", "ok"),
            ("<p>a<!-- <script>alert(1)</script> --></p>", "<p>a</p>"),
            ("<noscript><img src=x onerror=alert(1)></noscript>ok", "ok"),
            ("<template><script>alert(1)</script></template>ok", "ok"),
            ("<textarea><script>alert(1)</script></textarea>ok", "ok"),
        ];
        for (raw, want) in cases {
            assert_eq!(sanitize_html(raw), *want, "{raw}");
        }
    }

    #[test]
    fn links_keep_safe_urls_and_get_rel() {
        let cases: &[(&str, &str)] = &[
            (
                "<a href=\"https://example.com/a?b=1\" title=\"T\" target=\"_blank\" rel=\"opener\">x</a>",
                "<a href=\"https://example.com/a?b=1\" title=\"T\" rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"http://example.com\">x</a>",
                "<a href=\"http://example.com\" rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"mailto:ann@example.com\">x</a>",
                "<a href=\"mailto:ann@example.com\" rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"/blog/post#top\">x</a>",
                "<a href=\"/blog/post#top\" rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"ftp://example.com/f\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<img src=\"https://cdn.example.com/a.png\" alt=\"A\" title=\"t\" width=\"640\" height=\" 480 \" loading=\"lazy\">",
                "<img src=\"https://cdn.example.com/a.png\" alt=\"A\" title=\"t\" width=\"640\" height=\"480\">",
            ),
            (
                "<img src=\"/images/a.png\" width=\"100%\">",
                "<img src=\"/images/a.png\">",
            ),
            ("<img src=\"./a:b.png\">", "<img src=\"./a:b.png\">"),
        ];
        for (raw, want) in cases {
            assert_eq!(sanitize_html(raw), *want, "{raw}");
        }
    }

    #[test]
    fn article_structure_is_preserved() {
        let article = "<article><header><h1>Title</h1></header><section><h2>One</h2>\
            <p>Some <strong>bold</strong>, <b>b</b>, <em>em</em>, <i>i</i>, <u>u</u>, <s>s</s> \
            and <code>code</code>.<br>Next line.</p><hr><blockquote>Quote</blockquote>\
            <ul><li>a</li></ul><ol><li>b</li></ol>\
            <figure><img src=\"/a.png\" alt=\"A\"><figcaption>Cap</figcaption></figure>\
            <pre>let x = 1;</pre><div><span>s</span></div>\
            <table><thead><tr><th>H</th></tr></thead><tbody><tr><td>D</td></tr></tbody></table>\
            <h3>h3</h3><h4>h4</h4><h5>h5</h5><h6>h6</h6></section><footer>F</footer></article>";
        assert_eq!(sanitize_html(article), article);
        // Sanitising is idempotent on its own output.
        assert_eq!(sanitize_html(&sanitize_html(article)), article);
        // Unknown but harmless elements are unwrapped, their text kept.
        assert_eq!(
            sanitize_html("<main><p>a <mark>b</mark> <font color=red>c</font></p></main>"),
            "<p>a b c</p>"
        );
        // Text stays escaped.
        assert_eq!(sanitize_html("1 &lt; 2 &amp; 3"), "1 &lt; 2 &amp; 3");
        assert_eq!(sanitize_html(""), "");
    }

    #[test]
    fn plain_text_is_the_visible_text() {
        assert_eq!(
            plain_text("<h1>Title</h1><p>Rock &amp; roll&nbsp;now</p>"),
            "Title Rock & roll now"
        );
        assert_eq!(
            plain_text("<p>foo<strong>bar</strong></p><p>baz</p>"),
            "foobar baz"
        );
        assert_eq!(plain_text("<p>1 &lt; 2</p><script>x()</script>"), "1 < 2");
        assert_eq!(plain_text("a&amp;lt;b"), "a&lt;b");
        assert_eq!(plain_text("caf&eacute; &#8212; &copy;"), "café — ©");
        assert_eq!(
            plain_text("<p>  lots \n\t of   space </p>"),
            "lots of space"
        );
        assert_eq!(plain_text("<a href=\"x>y\" title='<p>'>link</a>"), "link");
        assert_eq!(plain_text(""), "");
    }

    #[test]
    fn word_counts_of_typical_html() {
        let cases: &[(&str, i32)] = &[
            ("", 0),
            ("<p></p><br><hr>", 0),
            ("<p>Hello world</p>", 2),
            ("<h1>Title</h1><p>One two</p>", 3),
            ("<p>Hello<br>world</p>", 2),
            ("<ul><li>one</li><li>two</li></ul>", 2),
            ("<table><tr><td>a</td><td>b</td></tr></table>", 2),
            ("<p>foo<strong>bar</strong></p>", 1),
            ("<p>Rock &amp; roll</p>", 2),
            ("a&nbsp;b", 2),
            ("<p>Don't stop-motion, it’s fine</p>", 4),
            ("-- dashes -- and 'quotes' ", 3),
            ("1,200 people paid $3.50 each.", 5),
            (
                "<script>var a = 1;</script><style>p { color: red }</style><p>Visible</p>",
                1,
            ),
            ("<p>a<!-- hidden words here --></p>", 1),
            ("<img src=x alt=\"alt text\">word", 1),
            ("Привет мир", 2),
            ("cafe\u{301} nai\u{308}ve", 2),
            ("हिन्दी भाषा", 2),
            ("日本語のテキスト", 1),
            ("emoji 🎉 party", 2),
            ("&lt;b&gt;bold&lt;/b&gt;", 3),
        ];
        for (html, want) in cases {
            assert_eq!(word_count(html), *want, "{html}");
        }
        let long = "<p>word </p>".repeat(1500);
        assert_eq!(word_count(&long), 1500);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn sanitised_output_has_no_scripts_or_handlers(
            raw in "(<(script|img|a|svg|p|iframe|div)( (src|href|onerror|onload)=(x|\"javascript:alert(1)\"|'https://e.x'))?>|</(script|a|p|svg)>|[a-z &;<>\"'=/:])*"
        ) {
            let out = sanitize_html(&raw).to_ascii_lowercase();
            prop_assert!(!out.contains("<script"), "{}", out);
            prop_assert!(!out.contains("<svg"), "{}", out);
            prop_assert!(!out.contains("<iframe"), "{}", out);
            // Attributes serialise as ` name="value"`; text can't fake that
            // because its `<` is escaped.
            prop_assert!(!out.contains("=\"javascript:"), "{}", out);
            prop_assert!(!out.contains(" onerror=\"") && !out.contains(" onload=\""), "{}", out);
        }

        /// Markup around and between words neither adds nor merges words,
        /// and script content is not counted.
        #[test]
        fn word_count_counts_the_words_between_any_markup(
            words in proptest::collection::vec(("[a-zA-Z0-9]{1,8}", 0..8usize, 0..5usize), 0..25)
        ) {
            const WRAPS: [(&str, &str); 8] = [
                ("", ""),
                ("<b>", "</b>"),
                ("<em>", "</em>"),
                ("<a href=\"/x\">", "</a>"),
                ("<p>", "</p>"),
                ("<h2>", "</h2>"),
                ("<li>", "</li>"),
                ("<td>", "</td>"),
            ];
            const GAPS: [&str; 5] = [" ", "\n", "<br>", " &nbsp; ", "<script>hidden words</script> "];
            let mut html = String::new();
            for (word, wrap, gap) in &words {
                let (open, close) = WRAPS[*wrap];
                html.push_str(&format!("{open}{word}{close}{}", GAPS[*gap]));
            }
            prop_assert_eq!(word_count(&html) as usize, words.len(), "{}", html);
        }
    }
}

/// An image to place in an article being published: `<img src>` values
/// containing `needle` are rewritten to `src`; an image no `<img>` names
/// is inserted as a figure after the `after_h2`-th `</h2>` (or at the end),
/// when `after_h2` is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedImage {
    pub needle: String,
    pub src: String,
    pub alt: String,
    pub after_h2: Option<usize>,
}

fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Rewrites every `<img src>` naming one of `images` to its new address
/// and inserts the ones the HTML does not name (PUB-1). Never panics; HTML
/// it does not understand is left as it is.
pub fn place_images(html: &str, images: &[PlacedImage]) -> String {
    let mut used = vec![false; images.len()];
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(start) = find_ci(rest, "<img") {
        let (before, tag_on) = rest.split_at(start);
        out.push_str(before);
        let end = tag_on.find('>').map_or(tag_on.len(), |e| e + 1);
        let (tag, after) = tag_on.split_at(end);
        out.push_str(&rewrite_src(tag, images, &mut used));
        rest = after;
    }
    out.push_str(rest);
    // images the HTML does not name, after their heading (last first, so
    // earlier positions stay valid)
    let mut inserts: Vec<(usize, &PlacedImage)> = images
        .iter()
        .zip(&used)
        .filter(|(im, used)| !**used && im.after_h2.is_some())
        .map(|(im, _)| (im.after_h2.unwrap_or(0), im))
        .collect();
    inserts.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    for (n, im) in inserts {
        let figure = format!(
            "<figure class=\"wp-block-image\"><img src=\"{}\" alt=\"{}\" /></figure>",
            attr_escape(&im.src),
            attr_escape(&im.alt)
        );
        let at = nth_ci(&out, "</h2>", n).map(|i| i + "</h2>".len());
        match at {
            Some(i) => {
                // after the paragraph that follows the heading, if there is one
                let para_end = out[i..]
                    .find("</p>")
                    .filter(|&p| !out[i..i + p].contains("<h2"))
                    .map(|p| i + p + "</p>".len());
                out.insert_str(para_end.unwrap_or(i), &figure);
            }
            None => out.push_str(&figure),
        }
    }
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    (0..h.len().saturating_sub(n.len() - 1))
        .find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n) && hay.is_char_boundary(i))
}

fn nth_ci(hay: &str, needle: &str, n: usize) -> Option<usize> {
    let mut from = 0;
    let mut found = None;
    for _ in 0..=n {
        let i = find_ci(&hay[from..], needle)?;
        found = Some(from + i);
        from += i + needle.len();
    }
    found
}

fn rewrite_src(tag: &str, images: &[PlacedImage], used: &mut [bool]) -> String {
    let Some(at) = find_ci(tag, "src=") else {
        return tag.to_owned();
    };
    let v_start = at + 4;
    let quote = tag[v_start..].chars().next();
    let (v_from, v_to) = match quote {
        Some(q @ ('"' | '\'')) => {
            let from = v_start + 1;
            let to = tag[from..].find(q).map_or(tag.len(), |e| from + e);
            (from, to)
        }
        _ => {
            let to = tag[v_start..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .map_or(tag.len(), |e| v_start + e);
            (v_start, to)
        }
    };
    let value = &tag[v_from..v_to];
    match images
        .iter()
        .position(|im| !im.needle.is_empty() && value.contains(im.needle.as_str()))
    {
        Some(k) => {
            used[k] = true;
            format!(
                "{}{}{}",
                &tag[..v_from],
                attr_escape(&images[k].src),
                &tag[v_to..]
            )
        }
        None => tag.to_owned(),
    }
}

#[cfg(test)]
mod place_tests {
    use super::*;

    fn im(needle: &str, src: &str, after: Option<usize>) -> PlacedImage {
        PlacedImage {
            needle: needle.into(),
            src: src.into(),
            alt: "a \"cat\"".into(),
            after_h2: after,
        }
    }

    #[test]
    fn named_images_are_rewritten_and_others_inserted() {
        let html = "<h2>One</h2><p>x</p><IMG SRC='/media/acc/1.png?exp=1&sig=2' alt=\"\"><h2>Two</h2><p>y</p>";
        let out = place_images(
            html,
            &[
                im("acc/1.png", "https://wp.test/a.png", Some(0)),
                im("acc/2.png", "https://wp.test/b.png", Some(1)),
                im("acc/3.png", "https://wp.test/c.png", Some(9)),
                im("acc/4.png", "https://wp.test/d.png", None),
            ],
        );
        assert!(out.contains("SRC='https://wp.test/a.png'"), "{out}");
        assert!(!out.contains("/media/acc/1.png"));
        assert_eq!(
            out.matches("wp.test/a.png").count(),
            1,
            "a named image is not inserted again"
        );
        assert!(out.contains("<h2>Two</h2><p>y</p><figure class=\"wp-block-image\"><img src=\"https://wp.test/b.png\" alt=\"a &quot;cat&quot;\" /></figure>"), "{out}");
        assert!(
            out.ends_with("c.png\" alt=\"a &quot;cat&quot;\" /></figure>"),
            "{out}"
        );
        assert!(!out.contains("d.png"));
    }

    #[test]
    fn odd_html_does_not_panic() {
        for h in [
            "<img",
            "<img src=",
            "<img src=\"x",
            "é<img src=x>ü",
            "</h2",
            "",
        ] {
            let _ = place_images(h, &[im("x", "y", Some(0))]);
        }
    }
}
