//! Runware image inference (JOB-7): `POST {base}` with a JSON array of
//! tasks, each `{taskType: "imageInference", taskUUID, positivePrompt,
//! model, width, height, outputType, outputFormat, numberResults}`; answers
//! `{data: [{taskUUID, imageBase64Data | imageURL}]}` or `{errors: [{code,
//! message, taskUUID}]}`, errors scoped per task. Transport errors, 429 and
//! 5xx retry with the same policy as the OpenAI provider.

use crate::openai::{RetryPolicy, describe, image_bytes, redact};
use crate::outbound::{Outbound, OutboundError};
use crate::provider::{Call, ImageModel, ProviderError, Usage};
use serde_json::{Value, json};
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://api.runware.ai/v1";
pub const DEFAULT_MODEL: &str = "runware:101@1";

pub struct Runware {
    /// For the API (trusted only for the operator's endpoint).
    api: Outbound,
    /// For image URLs in answers: always under the policy.
    downloads: Outbound,
    base_url: String,
    api_key: String,
    pub model: String,
    pub retry: RetryPolicy,
}

/// Runware wants sides that are multiples of 64 within 128–2048.
fn side(n: u32) -> u32 {
    (n.clamp(128, 2048) / 64) * 64
}

impl Runware {
    pub fn new(
        api: Outbound,
        downloads: Outbound,
        base_url: &str,
        api_key: &str,
        model: &str,
        retry: RetryPolicy,
    ) -> Self {
        Runware {
            api,
            downloads,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key: api_key.to_owned(),
            model: model.to_owned(),
            retry,
        }
    }

    fn delay(&self, attempt: u32, hint: Option<Duration>) -> Duration {
        if let Some(h) = hint {
            return h.min(self.retry.cap);
        }
        self.retry
            .base
            .saturating_mul(1 << attempt.min(10))
            .min(self.retry.cap)
            .mul_f64(1.0 + rand::random::<f64>() * 0.5)
    }

    /// One image inference task; returns the image bytes.
    pub async fn infer(
        &self,
        prompt: &str,
        width: u32,
        height: u32,
    ) -> Result<Vec<u8>, ProviderError> {
        let task = uuid::Uuid::new_v4().to_string();
        let body = json!([{
            "taskType": "imageInference",
            "taskUUID": task,
            "positivePrompt": prompt,
            "model": self.model,
            "width": side(width),
            "height": side(height),
            "outputType": "base64Data",
            "outputFormat": "PNG",
            "numberResults": 1,
        }]);
        let mut last = String::new();
        for attempt in 0..self.retry.max_attempts {
            let hint;
            let exchange = async {
                let resp = self
                    .api
                    .post(&self.base_url)
                    .bearer_auth(&self.api_key)
                    .json(&body)
                    .send()
                    .await?;
                let status = resp.status();
                let hint = resp
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .map(|s| Duration::from_secs_f64(s.max(0.0)));
                Ok::<_, OutboundError>((status, hint, resp.text().await?))
            };
            match exchange.await {
                Err(e) if e.is_transient() => {
                    last = describe(&e);
                    hint = None;
                }
                Err(e) => return Err(ProviderError::Permanent(describe(&e))),
                Ok((status, retry_after, text)) => {
                    hint = retry_after;
                    let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    let error = v["errors"]
                        .as_array()
                        .and_then(|errs| {
                            errs.iter()
                                .find(|e| e["taskUUID"] == task.as_str() || e["taskUUID"].is_null())
                        })
                        .map(|e| {
                            format!(
                                "{}: {}",
                                e["code"].as_str().unwrap_or("error"),
                                redact(
                                    e["message"].as_str().unwrap_or("no message"),
                                    &self.api_key
                                )
                            )
                        });
                    if status.is_success() && error.is_none() {
                        return self.image_of(&v, &task).await;
                    }
                    let why = format!(
                        "HTTP {}: {}",
                        status.as_u16(),
                        error.unwrap_or_else(|| "no message".into())
                    );
                    if !(status.as_u16() == 429 || status.is_server_error()) {
                        return Err(ProviderError::Permanent(why));
                    }
                    last = why;
                }
            }
            if attempt + 1 < self.retry.max_attempts {
                tokio::time::sleep(self.delay(attempt, hint)).await;
            }
        }
        Err(ProviderError::Permanent(format!(
            "gave up after {} attempts: {last}",
            self.retry.max_attempts
        )))
    }

    async fn image_of(&self, v: &Value, task: &str) -> Result<Vec<u8>, ProviderError> {
        let item = v["data"]
            .as_array()
            .and_then(|d| d.iter().find(|i| i["taskUUID"] == task))
            .ok_or_else(|| {
                ProviderError::Permanent("the response holds no image for the task".into())
            })?;
        image_bytes(
            &self.downloads,
            item["imageBase64Data"].as_str(),
            item["imageURL"].as_str(),
        )
        .await
    }
}

impl ImageModel for Runware {
    fn image<'a>(&'a self, prompt: &'a str, width: u32, height: u32) -> Call<'a, Vec<u8>> {
        Box::pin(async move { Ok((self.infer(prompt, width, height).await?, Usage::default())) })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sides_are_multiples_of_64_in_range() {
        assert_eq!(super::side(768), 768);
        assert_eq!(super::side(1000), 960);
        assert_eq!(super::side(10), 128);
        assert_eq!(super::side(4096), 2048);
    }
}
