//! A local fake of OpenAI and Runware for the job tests. It speaks their
//! real wire formats (chat completions with structured outputs, image
//! generations, the models list, Runware's task arrays) and their errors,
//! checks the Bearer key, and records every request it gets.
//!
//! By default it answers well, deriving its answer from the request (the
//! keyword ids in a clustering prompt, say); scripted faults queued with
//! [`Fake::fail_next`] are answered first.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One scripted answer.
#[derive(Clone)]
pub struct Fault {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    /// Sent as it is (so it may be malformed JSON).
    pub body: String,
    pub delay: Duration,
}

impl Fault {
    /// An error in OpenAI's format.
    pub fn openai(status: u16, code: &str, message: &str) -> Fault {
        Fault {
            status,
            headers: vec![],
            body: json!({"error": {"message": message, "type": code, "param": null, "code": code}})
                .to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Fault {
        self.headers.push((name, value.into()));
        self
    }

    /// A successful completion whose content is `content` as it is.
    pub fn completion(content: &str, finish: &str, refusal: Option<&str>) -> Fault {
        Fault {
            status: 200,
            headers: vec![],
            body: completion_body(content, finish, refusal).to_string(),
            delay: Duration::ZERO,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
}

pub struct Fake {
    pub base: String,
    /// The key it accepts (`Authorization: Bearer <key>`).
    key: String,
    faults: Mutex<VecDeque<Fault>>,
    seen: Mutex<Vec<Seen>>,
    /// Where URL answers (dall-e-3) point; default: its own `/files/`.
    image_url: Mutex<Option<String>>,
}

impl Fake {
    pub async fn start(key: &str) -> Arc<Fake> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let fake = Arc::new(Fake {
            base: format!("http://{addr}"),
            key: key.into(),
            faults: Mutex::default(),
            seen: Mutex::default(),
            image_url: Mutex::default(),
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .route("/v1/images/generations", post(images))
            .route("/v1/models", get(models))
            .route("/runware", post(runware))
            .route("/files/{name}", get(file))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        fake
    }

    /// The OpenAI-compatible base URL.
    pub fn openai_url(&self) -> String {
        format!("{}/v1", self.base)
    }

    pub fn runware_url(&self) -> String {
        format!("{}/runware", self.base)
    }

    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.faults.lock().unwrap().extend(faults);
    }

    /// Answers image requests by URL with `url`, as a hostile
    /// OpenAI-compatible server would.
    pub fn answer_images_with(&self, url: &str) {
        *self.image_url.lock().unwrap() = Some(url.into());
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The user message of every chat completion, in order.
    pub fn prompts(&self) -> Vec<String> {
        self.seen()
            .iter()
            .filter(|s| s.path.ends_with("/chat/completions"))
            .map(|s| {
                s.body["messages"]
                    .as_array()
                    .and_then(|m| m.iter().find(|m| m["role"] == "user"))
                    .and_then(|m| m["content"].as_str())
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    /// Records the request; answers a scripted fault or a key error first.
    fn intake(&self, path: &str, headers: &HeaderMap, body: &[u8]) -> Result<Value, Fault> {
        let authorization = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        self.seen.lock().unwrap().push(Seen {
            path: path.into(),
            authorization: authorization.clone(),
            body: body.clone(),
        });
        if authorization.as_deref() != Some(&format!("Bearer {}", self.key)) {
            return Err(Fault::openai(
                401,
                "invalid_api_key",
                "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
            ));
        }
        let fault = self.faults.lock().unwrap().pop_front();
        match fault {
            Some(f) => Err(f),
            None => Ok(body),
        }
    }
}

fn reply(f: &Fault) -> Response {
    let mut resp = (StatusCode::from_u16(f.status).unwrap(), f.body.clone()).into_response();
    resp.headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    for (k, v) in &f.headers {
        resp.headers_mut().insert(*k, v.parse().unwrap());
    }
    resp
}

/// Answers a fault after its delay (a delay past the client's timeout is a
/// timeout).
async fn answer(f: Fault) -> Response {
    tokio::time::sleep(f.delay).await;
    reply(&f)
}

fn completion_body(content: &str, finish: &str, refusal: Option<&str>) -> Value {
    json!({
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "finish_reason": finish, "logprobs": null,
                     "message": {"role": "assistant", "content": if refusal.is_some() { Value::Null } else { Value::from(content) }, "refusal": refusal}}],
        "usage": {"prompt_tokens": 1200, "completion_tokens": 800, "total_tokens": 2000}
    })
}

/// The UUIDs that appear in a text, in order, once each.
fn uuids(text: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    let mut i = 0;
    while i + 36 <= text.len() {
        match text
            .get(i..i + 36)
            .filter(|s| uuid::Uuid::parse_str(s).is_ok())
        {
            Some(s) => {
                if !out.iter().any(|o| o == s) {
                    out.push(s.to_owned());
                }
                i += 36;
            }
            None => i += 1,
        }
    }
    out
}

fn structured_answer(schema: &str, prompt: &str) -> Value {
    match schema {
        "clusters" => json!({"clusters": [{
            "name": "Fake Topic",
            "description": "Keywords the fake model put together.",
            "keyword_ids": uuids(prompt),
        }]}),
        "ideas" => {
            let idea = |n: usize| {
                json!({
                    "title": format!("Fake idea {n}"),
                    "description": "An idea from the fake model.",
                    "content_type": "post",
                    "content_structure": "guide",
                    "outline": {"sections": (1..=4).map(|s| json!({"heading": format!("Section {s}"), "level": 2, "notes": "", "target_keywords": []})).collect::<Vec<_>>()},
                    "target_keywords": ["fake keyword"],
                    "estimated_word_count": 1200,
                })
            };
            json!({"ideas": [idea(1), idea(2), idea(3)]})
        }
        "article" => json!({
            "html": format!("<h2>Fake article</h2><p>{}</p><h2>More</h2><p>{}</p>", "words ".repeat(200), "more words ".repeat(100)),
            "meta_title": "A fake article",
            "meta_description": "Written by the fake model.",
            "primary_keyword": "fake keyword",
            "secondary_keywords": ["fake", "article"],
        }),
        "image_prompts" => json!({
            "featured": "A fake featured photo of a kitchen table, soft light",
            "in_article": ["A fake in-article photo of bread", "A fake in-article photo of flour"],
        }),
        other => json!({"unknown_schema": other}),
    }
}

async fn chat(State(f): State<Arc<Fake>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let body = match f.intake("/v1/chat/completions", &headers, &body) {
        Ok(b) => b,
        Err(fault) => return answer(fault).await,
    };
    let rf = &body["response_format"];
    if rf["type"] == "json_schema" && rf["json_schema"]["strict"] != true {
        return reply(&Fault::openai(
            400,
            "invalid_request_error",
            "response_format.json_schema.strict must be true here",
        ));
    }
    let schema = rf["json_schema"]["name"].as_str().unwrap_or_default();
    let prompt = body["messages"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default();
    let content = structured_answer(schema, prompt).to_string();
    reply(&Fault::completion(&content, "stop", None))
}

fn png() -> Vec<u8> {
    igny8_core::ai::image::render_png("fake provider image", 64, 64)
}

async fn images(
    State(f): State<Arc<Fake>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let body = match f.intake("/v1/images/generations", &headers, &body) {
        Ok(b) => b,
        Err(fault) => return answer(fault).await,
    };
    // dall-e-3 answers with a URL valid for an hour; gpt-image-1 with base64
    let item = if body["model"] == "dall-e-3" {
        let url = f.image_url.lock().unwrap().clone();
        let url = url.unwrap_or_else(|| format!("{}/files/generated.png", f.base));
        json!({"url": url, "revised_prompt": body["prompt"]})
    } else {
        json!({"b64_json": base64::engine::general_purpose::STANDARD.encode(png())})
    };
    let out = json!({"created": 1_700_000_000, "data": [item], "usage": {"input_tokens": 50, "output_tokens": 4000, "total_tokens": 4050}});
    reply(&Fault {
        status: 200,
        headers: vec![],
        body: out.to_string(),
        delay: Duration::ZERO,
    })
}

async fn models(State(f): State<Arc<Fake>>, headers: HeaderMap) -> Response {
    if let Err(fault) = f.intake("/v1/models", &headers, b"") {
        return answer(fault).await;
    }
    let out = json!({"object": "list", "data": [
        {"id": "gpt-4o-mini", "object": "model", "created": 1_700_000_000, "owned_by": "system"},
        {"id": "gpt-image-1", "object": "model", "created": 1_700_000_000, "owned_by": "system"},
    ]});
    reply(&Fault {
        status: 200,
        headers: vec![],
        body: out.to_string(),
        delay: Duration::ZERO,
    })
}

async fn runware(
    State(f): State<Arc<Fake>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let body = match f.intake("/runware", &headers, &body) {
        Ok(b) => b,
        Err(fault) => return answer(fault).await,
    };
    let tasks = body.as_array().cloned().unwrap_or_default();
    let mut data = vec![];
    let mut errors = vec![];
    for t in tasks {
        if t["taskType"] != "imageInference"
            || t["positivePrompt"].as_str().is_none_or(|p| p.len() < 3)
        {
            errors.push(json!({"code": "invalidPositivePrompt", "message": "Invalid value for positivePrompt.", "parameter": "positivePrompt", "taskType": t["taskType"], "taskUUID": t["taskUUID"]}));
            continue;
        }
        data.push(json!({
            "taskType": "imageInference", "taskUUID": t["taskUUID"], "imageUUID": uuid::Uuid::new_v4(),
            "imageBase64Data": base64::engine::general_purpose::STANDARD.encode(png()), "cost": 0.0019,
        }));
    }
    let (status, out) = if errors.is_empty() {
        (200, json!({"data": data}))
    } else {
        (400, json!({"errors": errors}))
    };
    reply(&Fault {
        status,
        headers: vec![],
        body: out.to_string(),
        delay: Duration::ZERO,
    })
}

async fn file() -> Response {
    ([("content-type", "image/png")], png()).into_response()
}
