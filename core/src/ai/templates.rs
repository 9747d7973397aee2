//! Prompt templates (JOB-8): a default per AI function, which an account may
//! override and reset. Templates are minijinja (Jinja2 syntax) rendered over
//! plain data, so a tenant's template can read what it is given and nothing
//! else: no files, no environment, and a fuel limit stops runaway loops.
//!
//! Placeholders, per function (missing ones render empty):
//! - every function: `site {name domain}`, `sector {name}`,
//!   `author {name description tone language}`,
//!   `strategy {name description section_logic}`
//! - `auto_cluster`: `keywords [{id keyword volume intent}]`
//! - `generate_ideas`: `cluster {name description}`, `keywords`, `avoid` (titles
//!   the cluster has, when more ideas are asked for)
//! - `generate_content`: `task {title description content_structure target_keywords}`,
//!   `outline [{heading level points}]`, `word_count`
//! - `generate_image_prompts`: `content {title primary_keyword html}`, `max_in_article`
//! - `generate_images`: `prompt`, `image_type`

use crate::jobs::AiFunction;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Longest template an account may store.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;
/// Longest rendered prompt (the article HTML makes image prompts long).
pub const MAX_RENDERED_CHARS: usize = 400_000;
/// Instructions one render may run: enough for any honest template.
const FUEL: u64 = 200_000;
/// Wall-clock time one render may take: honest templates take
/// milliseconds; fuel alone lets a loop over huge strings run for minutes.
pub const RENDER_TIME_LIMIT: Duration = Duration::from_secs(2);

const AUTHOR_AND_STRATEGY: &str = r#"{% if author %}
Write as the author "{{ author.name }}"{% if author.description %} ({{ author.description }}){% endif %}: tone {{ author.tone }}, language {{ author.language }}.
{%- endif %}{% if strategy %}
Follow the strategy "{{ strategy.name }}"{% if strategy.description %}: {{ strategy.description }}{% endif %}
{%- if strategy.section_logic %}
Section logic: {{ strategy.section_logic }}{% endif %}
{%- endif %}"#;

const AUTO_CLUSTER: &str = r#"Group these keywords of the sector "{{ sector.name }}" on the site "{{ site.name }}" into topical clusters of 3 to 10 keywords that one article could target.
Name each cluster by its strongest shared phrase and describe it in one sentence.
Use the keyword ids; leave out keywords that fit no cluster.{% if strategy %}
Follow the strategy "{{ strategy.name }}"{% if strategy.description %}: {{ strategy.description }}{% endif %}{% endif %}
Keywords: {{ keywords | tojson }}"#;

const GENERATE_IDEAS: &str = r#"Write 3 to 5 content ideas for the cluster "{{ cluster.name }}"{% if cluster.description %} ({{ cluster.description }}){% endif %} of the sector "{{ sector.name }}" on the site "{{ site.name }}".
Keywords: {{ keywords | map(attribute="keyword") | join(", ") }}.
Each idea has a title, a description, a content type and structure, an outline of 4 to 9 sections and target keywords.{% if avoid %}
The cluster already has these ideas: propose different ones. {{ avoid | join("; ") }}{% endif %}"#;

const GENERATE_CONTENT: &str = r#"Write the article "{{ task.title }}"{% if task.description %} ({{ task.description }}){% endif %} for the site "{{ site.name }}" as HTML with h2/h3 sections, following this outline: {{ outline | tojson }}.
Structure: {{ task.content_structure }}. About {{ word_count }} words. Target keywords: {{ task.target_keywords | join(", ") }}.
Meta title at most 60 characters, meta description at most 160."#;

const GENERATE_IMAGE_PROMPTS: &str = r#"Write one featured image prompt for the article "{{ content.title }}" (keyword: {{ content.primary_keyword }}) and up to {{ max_in_article }} in-article prompts, one per main section.
Each prompt is one descriptive sentence (subject, style, composition, lighting, palette) and asks for no text or lettering in the image.
Article: {{ content.html }}"#;

const GENERATE_IMAGES: &str = r#"{{ prompt }}"#;

/// The built-in template of `f`.
pub fn default_template(f: AiFunction) -> String {
    match f {
        AiFunction::AutoCluster => AUTO_CLUSTER.to_owned(),
        AiFunction::GenerateIdeas => format!("{GENERATE_IDEAS}{AUTHOR_AND_STRATEGY}"),
        AiFunction::GenerateContent => format!("{GENERATE_CONTENT}{AUTHOR_AND_STRATEGY}"),
        AiFunction::GenerateImagePrompts => GENERATE_IMAGE_PROMPTS.to_owned(),
        AiFunction::GenerateImages => GENERATE_IMAGES.to_owned(),
    }
}

/// The placeholders `f`'s templates are given.
pub fn placeholders(f: AiFunction) -> &'static [&'static str] {
    match f {
        AiFunction::AutoCluster => &["keywords", "sector", "site", "author", "strategy"],
        AiFunction::GenerateIdeas => &[
            "cluster", "keywords", "avoid", "sector", "site", "author", "strategy",
        ],
        AiFunction::GenerateContent => &[
            "task",
            "outline",
            "word_count",
            "sector",
            "site",
            "author",
            "strategy",
        ],
        AiFunction::GenerateImagePrompts => &["content", "max_in_article", "site", "sector"],
        AiFunction::GenerateImages => &["prompt", "image_type", "site", "sector"],
    }
}

/// Why a template was refused or failed to render.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    /// 1-based line of the template, when known.
    pub line: Option<usize>,
    pub message: String,
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    // a prompt is plain text: escaping HTML would garble articles and JSON
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    // `{{ author.tone }}` with no author renders empty instead of failing
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_fuel(Some(FUEL));
    env.set_keep_trailing_newline(false);
    env
}

fn error(e: minijinja::Error) -> TemplateError {
    let line = e.line();
    let mut message = e
        .detail()
        .map_or_else(|| e.kind().to_string(), str::to_owned);
    if let Some(l) = line {
        message = format!("line {l}: {message}");
    }
    TemplateError { line, message }
}

/// Refuses a template that is empty, too long or not valid syntax.
pub fn check(template: &str) -> Result<(), TemplateError> {
    if template.trim().is_empty() {
        return Err(TemplateError {
            line: None,
            message: "the template is empty".into(),
        });
    }
    if template.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(TemplateError {
            line: None,
            message: format!("the template is longer than {MAX_TEMPLATE_CHARS} characters"),
        });
    }
    env().template_from_str(template).map(|_| ()).map_err(error)
}

/// Renders `template` over `vars` within [`RENDER_TIME_LIMIT`] from now.
pub fn render(template: &str, vars: &impl Serialize) -> Result<String, TemplateError> {
    render_until(template, vars, Instant::now() + RENDER_TIME_LIMIT)
}

/// What stopped a render from outside minijinja's own checks.
#[derive(Default)]
struct Budget {
    deadline: Option<Instant>,
    timed_out: AtomicBool,
    too_long: AtomicBool,
}

impl Budget {
    /// Whether the render may go on; records a missed deadline.
    fn in_time(&self) -> bool {
        let late = self.deadline.is_some_and(|d| Instant::now() >= d);
        if late {
            self.timed_out.store(true, Ordering::Relaxed);
        }
        !late
    }
}

/// The render's output: refuses to grow past [`MAX_RENDERED_CHARS`] bytes
/// or past the deadline, so the render stops at that write, not at its end.
struct BoundedOutput<'a> {
    buf: Vec<u8>,
    budget: &'a Budget,
}

impl std::io::Write for BoundedOutput<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + data.len() > MAX_RENDERED_CHARS * 4 {
            self.budget.too_long.store(true, Ordering::Relaxed);
            return Err(std::io::Error::other("output limit"));
        }
        if !self.budget.in_time() {
            return Err(std::io::Error::other("time limit"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders `template` over `vars`, stopping at `deadline`: the output
/// checks it at every write and `range` at every step, so a loop that
/// writes or iterates stops within one step of it. The output is bounded
/// while it is written (not after), as is the time.
pub fn render_until(
    template: &str,
    vars: &impl Serialize,
    deadline: Instant,
) -> Result<String, TemplateError> {
    let budget = Arc::new(Budget {
        deadline: Some(deadline),
        ..Budget::default()
    });
    let mut env = env();
    let b = budget.clone();
    env.add_function(
        "range",
        move |lower: isize, upper: Option<isize>, step: Option<isize>| {
            let items: Arc<Vec<Value>> = Arc::new(
                minijinja::functions::range(lower, upper, step)?
                    .try_iter()?
                    .collect(),
            );
            let b = b.clone();
            Ok::<_, minijinja::Error>(Value::make_iterable(move || {
                let (items, b) = (items.clone(), b.clone());
                (0..items.len())
                    .take_while(move |_| b.in_time())
                    .map(move |i| items[i].clone())
            }))
        },
    );
    let tmpl = env.template_from_str(template).map_err(error)?;
    let mut out = BoundedOutput {
        buf: Vec::new(),
        budget: &budget,
    };
    let rendered = tmpl.render_captured_to(vars, &mut out).map(|_| ());
    if budget.too_long.load(Ordering::Relaxed) {
        return Err(too_long());
    }
    if budget.timed_out.load(Ordering::Relaxed) {
        return Err(TemplateError {
            line: None,
            message: format!(
                "the template took longer than {} s to render",
                RENDER_TIME_LIMIT.as_secs_f32()
            ),
        });
    }
    rendered.map_err(error)?;
    let out = String::from_utf8(out.buf).map_err(|_| TemplateError {
        line: None,
        message: "the rendered prompt is not UTF-8".into(),
    })?;
    if out.chars().count() > MAX_RENDERED_CHARS {
        return Err(too_long());
    }
    Ok(out.trim().to_owned())
}

fn too_long() -> TemplateError {
    TemplateError {
        line: None,
        message: format!("the rendered prompt is longer than {MAX_RENDERED_CHARS} characters"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn content_vars() -> serde_json::Value {
        json!({
            "site": {"name": "Bakery Blog", "domain": "bake.example"},
            "sector": {"name": "Bread"},
            "task": {"title": "Sourdough starter guide", "description": "", "content_structure": "guide",
                     "target_keywords": ["sourdough starter", "feeding schedule"]},
            "outline": [{"heading": "What a starter is", "level": 2, "points": []}],
            "word_count": 1500,
        })
    }

    #[test]
    fn every_default_renders_with_and_without_optional_parts() {
        let mut vars = content_vars();
        vars["cluster"] = json!({"name": "sourdough", "description": "starters"});
        vars["keywords"] =
            json!([{"id": "k1", "keyword": "sourdough starter", "volume": 10, "intent": null}]);
        vars["content"] = json!({"title": "T", "primary_keyword": "k", "html": "<h2>A</h2>"});
        vars["max_in_article"] = json!(3);
        vars["prompt"] = json!("a loaf on a board");
        for f in AiFunction::ALL {
            let plain = render(&default_template(f), &vars).unwrap();
            assert!(!plain.is_empty(), "{f:?}");
            assert!(!plain.contains("{{"), "{f:?}: {plain}");
        }
        let text = render(&default_template(AiFunction::GenerateContent), &vars).unwrap();
        assert!(text.contains("\"Sourdough starter guide\""));
        assert!(text.contains("sourdough starter, feeding schedule"));
        assert!(text.contains("About 1500 words"));
        assert!(!text.contains("author"), "{text}");

        vars["author"] =
            json!({"name": "Ana", "description": "", "tone": "friendly", "language": "es"});
        vars["strategy"] =
            json!({"name": "Pillars", "description": "long guides", "section_logic": "FAQ last"});
        let text = render(&default_template(AiFunction::GenerateContent), &vars).unwrap();
        assert!(text.contains("tone friendly, language es"), "{text}");
        assert!(text.contains("Section logic: FAQ last"), "{text}");
    }

    #[test]
    fn html_is_not_escaped_and_json_is_real_json() {
        let vars = json!({"content": {"html": "<h2>Tips & tricks</h2>"}, "keywords": [{"keyword": "a \"b\""}]});
        assert_eq!(
            render("{{ content.html }}", &vars).unwrap(),
            "<h2>Tips & tricks</h2>"
        );
        let j = render("{{ keywords | tojson }}", &vars).unwrap();
        let back: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(back[0]["keyword"], "a \"b\"");
    }

    #[test]
    fn bad_templates_are_refused_with_a_line() {
        let e = check("line one\n{% if x %}unclosed").unwrap_err();
        assert!(e.line.is_some(), "{e:?}");
        assert!(check("   ").is_err());
        assert!(check(&"x".repeat(MAX_TEMPLATE_CHARS + 1)).is_err());
        assert!(check("Hello {{ site.name }}").is_ok());
    }

    /// Inside the fuel limit, but each step scans 20 MB: about 35 s of CPU
    /// without a deadline (41 s measured for 30,000 steps).
    pub const SLOW_TEMPLATE: &str = "{% set s = 'x' * 20000000 %}{% for i in range(25000) %}{% set n = s | length %}.{% endfor %}";

    #[test]
    fn a_slow_template_stops_at_its_deadline() {
        let e = render_until(
            SLOW_TEMPLATE,
            &json!({}),
            Instant::now() + Duration::from_millis(200),
        )
        .unwrap_err();
        assert!(e.message.contains("took longer than"), "{e:?}");
    }

    #[test]
    fn output_is_bounded_while_rendering() {
        let e = render(
            "{% set s = 'y' * 1000000 %}{% for i in range(1000) %}{{ s }}{% endfor %}",
            &json!({}),
        )
        .unwrap_err();
        assert!(e.message.contains("longer than"), "{e:?}");
        let ok = render("{% for i in range(3) %}{{ i }}{% endfor %}", &json!({})).unwrap();
        assert_eq!(ok, "012");
    }

    #[test]
    fn runaway_templates_run_out_of_fuel() {
        let e = render(
            "{% for a in range(1000) %}{% for b in range(1000) %}x{% endfor %}{% endfor %}",
            &json!({}),
        )
        .unwrap_err();
        assert!(e.message.to_lowercase().contains("fuel"), "{e:?}");
    }
}
