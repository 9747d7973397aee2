//! An OpenAI-compatible provider (OpenAI, gateways, vLLM, Ollama, llama.cpp
//! server): chat completions with a JSON-schema response format built from
//! the same types the parser reads, and image generations.
//!
//! Retries (DESIGN §5): 408, 409, 429 and 5xx and timeouts retry with capped
//! exponential backoff and jitter, honouring `retry-after-ms`, then
//! `Retry-After`; 429 `insufficient_quota` and other 4xx do not. Every call
//! has a timeout. A refusal or a `finish_reason: "length"` is a clear,
//! permanent item failure.

use crate::provider::{Call, Provider, ProviderError, Usage};
use base64::Engine;
use igny8_core::ai::article::{ArticleContext, ArticleOut};
use igny8_core::ai::cluster::{ClusterOutput, KeywordIn};
use igny8_core::ai::ideas::{IdeaContext, IdeasOutput};
use igny8_core::ai::prompts::{ImagePromptsOutput, PromptContext};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::time::Duration;

/// Models per function.
#[derive(Debug, Clone)]
pub struct Models {
    pub text: String,
    pub image: String,
}

impl Default for Models {
    fn default() -> Self {
        Models {
            text: "gpt-4o-mini".into(),
            image: "gpt-image-1".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(20),
            timeout: Duration::from_secs(120),
        }
    }
}

pub struct OpenAi {
    http: reqwest::Client,
    base_url: String,
    api_key: String,
    pub models: Models,
    pub retry: RetryPolicy,
}

/// USD per million tokens (input, output) of well-known models; unknown
/// models cost 0 (self-hosted).
fn price_per_million(model: &str) -> (f64, f64) {
    match model {
        m if m.starts_with("gpt-4o-mini") => (0.15, 0.60),
        m if m.starts_with("gpt-4o") => (2.50, 10.00),
        m if m.starts_with("gpt-4.1-mini") => (0.40, 1.60),
        m if m.starts_with("gpt-4.1") => (2.00, 8.00),
        _ => (0.0, 0.0),
    }
}

/// Makes a schemars schema acceptable to strict structured outputs: every
/// object closed (`additionalProperties: false`) and every property required.
fn strict(mut schema: Value) -> Value {
    fn walk(v: &mut Value) {
        if let Some(o) = v.as_object_mut() {
            if o.get("type").and_then(|t| t.as_str()) == Some("object")
                || o.contains_key("properties")
            {
                o.insert("additionalProperties".into(), Value::Bool(false));
                if let Some(props) = o.get("properties").and_then(|p| p.as_object()) {
                    let names: Vec<Value> = props.keys().cloned().map(Value::String).collect();
                    o.insert("required".into(), Value::Array(names));
                }
            }
            o.remove("$schema");
            o.remove("title");
            for (_, child) in o.iter_mut() {
                walk(child);
            }
        } else if let Some(a) = v.as_array_mut() {
            a.iter_mut().for_each(walk);
        }
    }
    walk(&mut schema);
    schema
}

fn schema_of<T: schemars::JsonSchema>() -> Value {
    strict(serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Value::Null))
}

enum Attempt {
    Done(Value),
    Retry(String, Option<Duration>),
    Fail(ProviderError),
}

impl OpenAi {
    pub fn new(base_url: &str, api_key: &str, models: Models, retry: RetryPolicy) -> Self {
        let http = reqwest::Client::builder()
            .timeout(retry.timeout)
            .build()
            .unwrap_or_default();
        OpenAi {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key: api_key.to_owned(),
            models,
            retry,
        }
    }

    fn delay(&self, attempt: u32, hinted: Option<Duration>) -> Duration {
        if let Some(h) = hinted {
            return h.min(self.retry.cap);
        }
        let exp = self.retry.base.saturating_mul(1 << attempt.min(10));
        exp.min(self.retry.cap)
            .mul_f64(1.0 + rand::random::<f64>() * 0.5)
    }

    /// POSTs JSON with the retry policy; returns the response body.
    async fn post(&self, path: &str, body: &Value) -> Result<Value, ProviderError> {
        let mut last = String::new();
        for attempt in 0..self.retry.max_attempts {
            match self.attempt(path, body).await {
                Attempt::Done(v) => return Ok(v),
                Attempt::Fail(e) => return Err(e),
                Attempt::Retry(why, hint) => {
                    last = why;
                    if attempt + 1 < self.retry.max_attempts {
                        tokio::time::sleep(self.delay(attempt, hint)).await;
                    }
                }
            }
        }
        Err(ProviderError::Transient(format!(
            "gave up after {} attempts: {last}",
            self.retry.max_attempts
        )))
    }

    async fn attempt(&self, path: &str, body: &Value) -> Attempt {
        let resp = self
            .http
            .post(format!("{}{path}", self.base_url))
            .bearer_auth(&self.api_key)
            .json(body)
            .send()
            .await;
        let resp = match resp {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Attempt::Retry("the provider timed out".into(), None);
            }
            Err(e) => {
                return Attempt::Retry(
                    format!("cannot reach the provider: {}", e.without_url()),
                    None,
                );
            }
        };
        let status = resp.status();
        let hint = retry_hint(resp.headers());
        let text = resp.text().await.unwrap_or_default();
        if status.is_success() {
            return match serde_json::from_str(&text) {
                Ok(v) => Attempt::Done(v),
                Err(_) => Attempt::Fail(ProviderError::Permanent(
                    "the provider answered with malformed JSON".into(),
                )),
            };
        }
        let err: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let message = err["error"]["message"]
            .as_str()
            .unwrap_or("no message")
            .to_owned();
        let code = err["error"]["code"]
            .as_str()
            .or(err["error"]["type"].as_str())
            .unwrap_or("")
            .to_owned();
        match status {
            StatusCode::TOO_MANY_REQUESTS if code == "insufficient_quota" => {
                Attempt::Fail(ProviderError::Permanent(format!(
                    "the provider account has no quota left: {message}"
                )))
            }
            s if s == StatusCode::REQUEST_TIMEOUT
                || s == StatusCode::CONFLICT
                || s == StatusCode::TOO_MANY_REQUESTS
                || s.is_server_error() =>
            {
                Attempt::Retry(format!("HTTP {}: {message}", s.as_u16()), hint)
            }
            s => Attempt::Fail(ProviderError::Permanent(format!(
                "HTTP {}: {message}",
                s.as_u16()
            ))),
        }
    }

    /// One chat completion whose output must match `T`'s schema.
    pub async fn chat<T: DeserializeOwned + schemars::JsonSchema>(
        &self,
        name: &str,
        system: &str,
        user: &str,
    ) -> Result<(T, Usage), ProviderError> {
        let model = &self.models.text;
        let body = json!({
            "model": model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "response_format": {"type": "json_schema", "json_schema": {"name": name, "schema": schema_of::<T>(), "strict": true}},
        });
        let resp = match self.post("/chat/completions", &body).await {
            // servers without json_schema support: ask for a JSON object instead
            Err(ProviderError::Permanent(m))
                if m.starts_with("HTTP 400") && m.contains("response_format") =>
            {
                let mut body = body.clone();
                body["response_format"] = json!({"type": "json_object"});
                self.post("/chat/completions", &body).await?
            }
            other => other?,
        };
        let choice = &resp["choices"][0];
        if let Some(r) = choice["message"]["refusal"]
            .as_str()
            .filter(|r| !r.is_empty())
        {
            return Err(ProviderError::Permanent(format!("the model refused: {r}")));
        }
        if choice["finish_reason"] == "length" {
            return Err(ProviderError::Permanent(
                "the model's output was cut off (finish_reason: length)".into(),
            ));
        }
        let content = choice["message"]["content"]
            .as_str()
            .ok_or_else(|| ProviderError::Permanent("the response has no content".into()))?;
        let out: T = serde_json::from_str(content)
            .map_err(|e| ProviderError::Permanent(format!("malformed AI output: {e}")))?;
        let (tin, tout) = (
            resp["usage"]["prompt_tokens"].as_i64().unwrap_or(0),
            resp["usage"]["completion_tokens"].as_i64().unwrap_or(0),
        );
        let (pin, pout) = price_per_million(model);
        let cost = (tin as f64 * pin + tout as f64 * pout).round() as i64; // micro-USD: tokens × USD/M
        Ok((
            out,
            Usage {
                tokens_in: tin as i32,
                tokens_out: tout as i32,
                cost_micro_usd: cost,
            },
        ))
    }

    /// One image; `b64_json` is decoded, a `url` is downloaded at once.
    pub async fn generate_image(
        &self,
        prompt: &str,
        width: u32,
        height: u32,
    ) -> Result<Vec<u8>, ProviderError> {
        let body = json!({"model": self.models.image, "prompt": prompt, "n": 1, "size": format!("{width}x{height}")});
        let resp = self.post("/images/generations", &body).await?;
        let data = &resp["data"][0];
        if let Some(b64) = data["b64_json"].as_str() {
            return base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| ProviderError::Permanent("the image is not valid base64".into()));
        }
        if let Some(url) = data["url"].as_str() {
            let r = self.http.get(url).send().await.map_err(|e| {
                ProviderError::Transient(format!("downloading the image: {}", e.without_url()))
            })?;
            if !r.status().is_success() {
                return Err(ProviderError::Transient(format!(
                    "downloading the image: HTTP {}",
                    r.status().as_u16()
                )));
            }
            return r
                .bytes()
                .await
                .map(|b| b.to_vec())
                .map_err(|e| ProviderError::Transient(e.to_string()));
        }
        Err(ProviderError::Permanent(
            "the response holds no image".into(),
        ))
    }
}

fn retry_hint(h: &reqwest::header::HeaderMap) -> Option<Duration> {
    if let Some(ms) = h
        .get("retry-after-ms")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
    {
        return Some(Duration::from_secs_f64(ms.max(0.0) / 1000.0));
    }
    h.get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|s| Duration::from_secs_f64(s.max(0.0)))
}

const SYSTEM: &str =
    "You are an SEO content strategist. Answer with JSON that matches the given schema exactly.";

impl Provider for OpenAi {
    fn model(&self) -> &str {
        &self.models.text
    }

    fn cluster<'a>(&'a self, keywords: &'a [KeywordIn]) -> Call<'a, ClusterOutput> {
        let list: Vec<Value> = keywords
            .iter()
            .map(|k| json!({"id": k.id, "keyword": k.keyword, "volume": k.volume}))
            .collect();
        let user = format!(
            "Group these keywords into topical clusters of 3 to 10 keywords that one article could target. \
             Name each cluster by its strongest shared phrase and describe it in one sentence. \
             Use the keyword ids; leave out keywords that fit no cluster.\n{}",
            Value::Array(list)
        );
        Box::pin(async move { self.chat("clusters", SYSTEM, &user).await })
    }

    fn ideas<'a>(&'a self, ctx: &'a IdeaContext) -> Call<'a, IdeasOutput> {
        let kws: Vec<&str> = ctx.keywords.iter().map(|k| k.keyword.as_str()).collect();
        let user = format!(
            "Write 3 to 5 content ideas for the cluster \"{}\" ({}) of the sector \"{}\" on the site \"{}\". Keywords: {}. \
             Each idea has a title, a description, a content type and structure, an outline of 4 to 9 sections and target keywords.",
            ctx.cluster_name,
            ctx.cluster_description,
            ctx.sector,
            ctx.site,
            kws.join(", ")
        );
        Box::pin(async move { self.chat("ideas", SYSTEM, &user).await })
    }

    fn article<'a>(&'a self, ctx: &'a ArticleContext) -> Call<'a, ArticleOut> {
        let outline = serde_json::to_string(&ctx.outline).unwrap_or_default();
        let user = format!(
            "Write the article \"{}\" ({}) as HTML with h2/h3 sections following this outline: {outline}. \
             About {} words; target keywords: {}. Meta title at most 60 characters, meta description at most 160.",
            ctx.title,
            ctx.description,
            ctx.estimated_word_count,
            ctx.target_keywords.join(", ")
        );
        Box::pin(async move { self.chat("article", SYSTEM, &user).await })
    }

    fn image_prompts<'a>(&'a self, ctx: &'a PromptContext) -> Call<'a, ImagePromptsOutput> {
        let user = format!(
            "Write one featured image prompt for the article \"{}\" (keyword: {}) and up to {} in-article prompts, one per main section of: {}",
            ctx.title, ctx.primary_keyword, ctx.max_in_article, ctx.html
        );
        Box::pin(async move { self.chat("image_prompts", SYSTEM, &user).await })
    }

    fn image<'a>(&'a self, prompt: &'a str, width: u32, height: u32) -> Call<'a, Vec<u8>> {
        Box::pin(async move {
            Ok((
                self.generate_image(prompt, width, height).await?,
                Usage::default(),
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_schemas_close_objects_and_require_every_field() {
        let s = schema_of::<ClusterOutput>();
        let text = s.to_string();
        assert!(!text.contains("\"$schema\""));
        fn check(v: &Value) {
            if let Some(o) = v.as_object() {
                if let Some(props) = o.get("properties").and_then(|p| p.as_object()) {
                    assert_eq!(o["additionalProperties"], Value::Bool(false));
                    let req: Vec<&str> = o["required"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_str().unwrap())
                        .collect();
                    for k in props.keys() {
                        assert!(req.contains(&k.as_str()), "{k} not required");
                    }
                }
                o.values().for_each(check);
            } else if let Some(a) = v.as_array() {
                a.iter().for_each(check);
            }
        }
        check(&s);
    }

    #[test]
    fn retry_hints_prefer_milliseconds() {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("retry-after", "2".parse().unwrap());
        assert_eq!(retry_hint(&h), Some(Duration::from_secs(2)));
        h.insert("retry-after-ms", "150".parse().unwrap());
        assert_eq!(retry_hint(&h), Some(Duration::from_millis(150)));
    }
}
