//! The offline AI provider's algorithms (JOB-7): real work with no network,
//! no key, no clock and no randomness, so the same input always gives the
//! same output, byte for byte.
//!
//! - [`cluster`] — lexical keyword clustering (`auto_cluster`).
//! - [`ideas`] — content ideas with outlines, shaped by intent (`generate_ideas`).
//! - [`article`] — structured HTML articles from an outline (`generate_content`).
//! - [`prompts`] — image prompts from an article's sections (`generate_image_prompts`).
//! - [`image`] — PNG images rendered locally from a prompt (`generate_images`).
//! - [`text`] — normalisation, stems, stop words, tone and language.
//! - [`templates`] — the prompt each function sends a remote model, default
//!   or account override, rendered with minijinja (JOB-8).
//!
//! The output types derive `schemars::JsonSchema` so the same shapes can be
//! asked of a remote model as structured output.

pub mod article;
pub mod cluster;
pub mod ideas;
pub mod image;
pub mod prompts;
mod schema;
pub mod templates;
pub mod text;
