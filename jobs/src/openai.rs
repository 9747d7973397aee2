//! An OpenAI-compatible provider (OpenAI, gateways, vLLM, Ollama, llama.cpp
//! server): chat completions with a JSON-schema response format built from
//! the same types the parser reads, and image generations.
//!
//! Retries (DESIGN §5): 408, 409, 429 and 5xx and timeouts retry with capped
//! exponential backoff and jitter, honouring `retry-after-ms`, then
//! `Retry-After`; 429 `insufficient_quota` and other 4xx do not. Every call
//! has a timeout. A refusal or a `finish_reason: "length"` is a clear,
//! permanent item failure.
//!
//! Every request goes through [`Outbound`]: the account's base URL and the
//! image URLs a provider answers with are judged by the outbound policy;
//! only the operator's own endpoint (the server's key and base URL) is not.

use crate::outbound::{Outbound, OutboundError};
use crate::provider::{Call, ImageModel, ProviderError, TextModel, Usage};
use base64::Engine;
use igny8_core::ai::article::{ArticleContext, ArticleOut};
use igny8_core::ai::cluster::{ClusterOutput, KeywordIn};
use igny8_core::ai::ideas::{IdeaContext, IdeasOutput};
use igny8_core::ai::prompts::{ImagePromptsOutput, PromptContext};
use igny8_core::jobs::AiFunction;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::time::Duration;

/// A model per function; the four text functions default to one chat model.
#[derive(Debug, Clone, PartialEq)]
pub struct Models {
    pub auto_cluster: String,
    pub generate_ideas: String,
    pub generate_content: String,
    pub generate_image_prompts: String,
    pub generate_images: String,
}

impl Models {
    /// One chat model for the text functions and one image model.
    pub fn uniform(text: &str, image: &str) -> Models {
        Models {
            auto_cluster: text.into(),
            generate_ideas: text.into(),
            generate_content: text.into(),
            generate_image_prompts: text.into(),
            generate_images: image.into(),
        }
    }

    pub fn get(&self, f: AiFunction) -> &str {
        match f {
            AiFunction::AutoCluster => &self.auto_cluster,
            AiFunction::GenerateIdeas => &self.generate_ideas,
            AiFunction::GenerateContent => &self.generate_content,
            AiFunction::GenerateImagePrompts => &self.generate_image_prompts,
            AiFunction::GenerateImages => &self.generate_images,
        }
    }

    pub fn set(&mut self, f: AiFunction, model: String) {
        let slot = match f {
            AiFunction::AutoCluster => &mut self.auto_cluster,
            AiFunction::GenerateIdeas => &mut self.generate_ideas,
            AiFunction::GenerateContent => &mut self.generate_content,
            AiFunction::GenerateImagePrompts => &mut self.generate_image_prompts,
            AiFunction::GenerateImages => &mut self.generate_images,
        };
        *slot = model;
    }
}

impl Default for Models {
    fn default() -> Self {
        Models::uniform("gpt-4o-mini", "gpt-image-1")
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
    /// For the base URL.
    api: Outbound,
    /// For image URLs in answers: always under the policy.
    downloads: Outbound,
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
            // strict mode knows a few string formats only; `int32`, `uint8`
            // and the like on numbers are refused
            if matches!(
                o.get("type").and_then(|t| t.as_str()),
                Some("integer" | "number")
            ) {
                o.remove("format");
            }
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
    /// One client for the base URL and for image downloads.
    pub fn new(
        outbound: Outbound,
        base_url: &str,
        api_key: &str,
        models: Models,
        retry: RetryPolicy,
    ) -> Self {
        Self::with_clients(outbound.clone(), outbound, base_url, api_key, models, retry)
    }

    /// `api` for the base URL (trusted only for the operator's endpoint),
    /// `downloads` for image URLs; both share their pools across accounts.
    pub fn with_clients(
        api: Outbound,
        downloads: Outbound,
        base_url: &str,
        api_key: &str,
        models: Models,
        retry: RetryPolicy,
    ) -> Self {
        OpenAi {
            api,
            downloads,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key: api_key.to_owned(),
            models,
            retry,
        }
    }

    /// A cheap authenticated call for `testIntegration`: the models the key
    /// may use.
    pub async fn list_models(&self) -> Result<Vec<String>, ProviderError> {
        let resp = self
            .api
            .get(&format!("{}/models", self.base_url))
            .bearer_auth(&self.api_key)
            .timeout(self.retry.timeout.min(Duration::from_secs(15)))
            .send()
            .await
            .map_err(|e| ProviderError::Transient(describe(&e)))?;
        let status = resp.status();
        let text = resp
            .text()
            .await
            .map_err(|e| ProviderError::Permanent(describe(&e)))?;
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if !status.is_success() {
            let message = redact(
                body["error"]["message"].as_str().unwrap_or("no message"),
                &self.api_key,
            );
            return Err(ProviderError::Permanent(format!(
                "HTTP {}: {message}",
                status.as_u16()
            )));
        }
        Ok(body["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|m| m["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
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
        // retrying at the job level would multiply these attempts: the item fails
        Err(ProviderError::Permanent(format!(
            "gave up after {} attempts: {last}",
            self.retry.max_attempts
        )))
    }

    async fn attempt(&self, path: &str, body: &Value) -> Attempt {
        let resp = self
            .api
            .post(&format!("{}{path}", self.base_url))
            .bearer_auth(&self.api_key)
            .json(body)
            .send()
            .await;
        let failed = |e: OutboundError| {
            if e.is_transient() {
                Attempt::Retry(describe(&e), None)
            } else {
                Attempt::Fail(ProviderError::Permanent(describe(&e)))
            }
        };
        let resp = match resp {
            Ok(r) => r,
            Err(e) => return failed(e),
        };
        let status = resp.status();
        let hint = retry_hint(resp.headers());
        let text = match resp.text().await {
            Ok(t) => t,
            Err(e) => return failed(e),
        };
        if status.is_success() {
            return match serde_json::from_str(&text) {
                Ok(v) => Attempt::Done(v),
                Err(_) => Attempt::Fail(ProviderError::Permanent(
                    "the provider answered with malformed JSON".into(),
                )),
            };
        }
        let err: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let message = redact(
            err["error"]["message"].as_str().unwrap_or("no message"),
            &self.api_key,
        );
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
        f: AiFunction,
        name: &str,
        system: &str,
        user: &str,
    ) -> Result<(T, Usage), ProviderError> {
        let model = self.models.get(f);
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
        let model = &self.models.generate_images;
        let size = image_size(model, width, height);
        let body = json!({"model": model, "prompt": prompt, "n": 1, "size": size});
        let resp = self.post("/images/generations", &body).await?;
        let data = &resp["data"][0];
        image_bytes(
            &self.downloads,
            data["b64_json"].as_str(),
            data["url"].as_str(),
        )
        .await
    }
}

/// An image answered as base64 or as a URL (valid for a short while, so it
/// is downloaded at once, under the outbound policy). Either must be a PNG,
/// JPEG, WebP or GIF.
pub(crate) async fn image_bytes(
    downloads: &Outbound,
    b64: Option<&str>,
    url: Option<&str>,
) -> Result<Vec<u8>, ProviderError> {
    if let Some(b64) = b64 {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|_| ProviderError::Permanent("the image is not valid base64".into()))?;
        if crate::media::image_type(&bytes).is_none() {
            return Err(ProviderError::Permanent(format!(
                "the provider's image: {}",
                OutboundError::NotAnImage
            )));
        }
        return Ok(bytes);
    }
    let Some(url) = url else {
        return Err(ProviderError::Permanent(
            "the response holds no image".into(),
        ));
    };
    let failed = |e: OutboundError| ProviderError::Permanent(describe_download(&e));
    let r = downloads.get(url).send().await.map_err(failed)?;
    if !r.status().is_success() {
        return Err(ProviderError::Permanent(format!(
            "downloading the image: HTTP {}",
            r.status().as_u16()
        )));
    }
    r.image().await.map_err(failed)
}

/// The nearest size the model accepts: OpenAI's image models take a few
/// fixed sizes only; other servers get what was asked.
fn image_size(model: &str, width: u32, height: u32) -> String {
    let wide = width > height;
    let tall = height > width;
    match model {
        m if m.starts_with("gpt-image") && wide => "1536x1024".into(),
        m if m.starts_with("gpt-image") && tall => "1024x1536".into(),
        m if m.starts_with("dall-e-3") && wide => "1792x1024".into(),
        m if m.starts_with("dall-e-3") && tall => "1024x1792".into(),
        m if m.starts_with("gpt-image") || m.starts_with("dall-e") => "1024x1024".into(),
        _ => format!("{width}x{height}"),
    }
}

/// A provider's error message without the key, should it echo it back.
pub(crate) fn redact(message: &str, key: &str) -> String {
    if key.len() >= 8 {
        message.replace(key, "***")
    } else {
        message.to_owned()
    }
}

/// A transport error as the account sees it: what failed, never where or
/// why at the network level (refused by the policy, connection refused,
/// unknown name and no route read the same; the logs have the details).
pub(crate) fn describe(e: &OutboundError) -> String {
    match e {
        OutboundError::Refused | OutboundError::Unreachable => {
            "could not connect to the provider at the configured base URL".into()
        }
        OutboundError::Timeout => "the provider timed out".into(),
        e => format!("the provider's answer failed: {e}"),
    }
}

/// The same for an image URL the provider answered with.
pub(crate) fn describe_download(e: &OutboundError) -> String {
    match e {
        OutboundError::Refused | OutboundError::Unreachable => {
            "could not download the image from the URL the provider returned".into()
        }
        e => format!("downloading the image: {e}"),
    }
}

pub(crate) fn retry_hint(h: &reqwest::header::HeaderMap) -> Option<Duration> {
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

impl TextModel for OpenAi {
    fn cluster<'a>(&'a self, _: &'a [KeywordIn], prompt: &'a str) -> Call<'a, ClusterOutput> {
        Box::pin(self.chat(AiFunction::AutoCluster, "clusters", SYSTEM, prompt))
    }

    fn ideas<'a>(&'a self, _: &'a IdeaContext, prompt: &'a str) -> Call<'a, IdeasOutput> {
        Box::pin(self.chat(AiFunction::GenerateIdeas, "ideas", SYSTEM, prompt))
    }

    fn article<'a>(&'a self, _: &'a ArticleContext, prompt: &'a str) -> Call<'a, ArticleOut> {
        Box::pin(self.chat(AiFunction::GenerateContent, "article", SYSTEM, prompt))
    }

    fn image_prompts<'a>(
        &'a self,
        _: &'a PromptContext,
        prompt: &'a str,
    ) -> Call<'a, ImagePromptsOutput> {
        Box::pin(self.chat(
            AiFunction::GenerateImagePrompts,
            "image_prompts",
            SYSTEM,
            prompt,
        ))
    }
}

impl ImageModel for OpenAi {
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
        // every output type the functions ask for, with no number formats
        for s in [
            schema_of::<ClusterOutput>(),
            schema_of::<IdeasOutput>(),
            schema_of::<ArticleOut>(),
            schema_of::<ImagePromptsOutput>(),
        ] {
            check(&s);
            let text = s.to_string();
            for f in ["int32", "uint8", "int64", "uint32"] {
                assert!(!text.contains(&format!("\"{f}\"")), "{f} in {text}");
            }
        }
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
