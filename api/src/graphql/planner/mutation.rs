use super::types::{Cluster, Idea, ImportKeywordsPayload, ImportRowError, Keyword};
use crate::error::{ApiError, ApiResult, gql, not_found};
use crate::graphql::enums::*;
use crate::graphql::spine::{
    IdInput, IdsInput, bulk_ids, caller, ensure_can_write, maybe, optional_name, parse_id, writable,
};
use crate::graphql::writer::types::Task;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, Upload};
use igny8_core::csv_import::{self, ParsedCsv};
use igny8_core::outline::{Outline as CoreOutline, OutlineSection as CoreSection};
use igny8_core::planner as p;
use igny8_core::validate;
use igny8_db::{clusters, ideas, keywords, sectors};

#[derive(Default)]
pub struct PlannerMutation;

/// Optional free text: trimmed, empty is none, at most `max` characters.
pub fn opt_text(field: &'static str, v: Option<String>, max: usize) -> ApiResult<Option<String>> {
    match v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max => Err(ApiError::bad_input(
            field,
            format!("{field}: must be at most {max} characters"),
        )),
        other => Ok(other),
    }
}

/// A list of at most 50 keywords, each normalised.
pub fn keywords_list(field: &'static str, v: Vec<String>) -> ApiResult<Vec<String>> {
    if v.len() > 50 {
        return Err(ApiError::bad_input(
            field,
            format!("{field}: at most 50 keywords"),
        ));
    }
    v.iter()
        .map(|k| {
            p::keyword_text(k)
                .map_err(|e| ApiError::bad_input(field, format!("{field}: {}", e.message)))
        })
        .collect()
}

#[derive(InputObject)]
pub struct CreateKeywordInput {
    pub sector_id: ID,
    pub keyword: String,
    pub volume: Option<i64>,
    pub difficulty: Option<i32>,
    pub intent: Option<KeywordIntent>,
}

#[derive(InputObject)]
pub struct UpdateKeywordInput {
    pub id: ID,
    pub keyword: Option<String>,
    pub volume: MaybeUndefined<i64>,
    pub difficulty: MaybeUndefined<i32>,
    pub intent: MaybeUndefined<KeywordIntent>,
    pub status: Option<KeywordStatus>,
}

#[derive(InputObject)]
pub struct BulkUpdateKeywordStatusInput {
    pub ids: Vec<ID>,
    pub status: KeywordStatus,
}

#[derive(InputObject)]
pub struct ImportKeywordsInput {
    pub sector_id: ID,
    /// The CSV text: columns keyword, volume, difficulty, intent, in any order.
    pub csv: String,
}

#[derive(InputObject)]
pub struct ImportKeywordsFileInput {
    pub sector_id: ID,
    /// A CSV file sent as a GraphQL multipart upload.
    pub file: Upload,
}

#[derive(InputObject)]
pub struct AddSeedKeywordsInput {
    pub sector_id: ID,
    pub seed_keyword_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct CreateClusterInput {
    pub sector_id: ID,
    pub name: String,
    pub description: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateClusterInput {
    pub id: ID,
    pub name: Option<String>,
    pub description: Option<String>,
    pub status: Option<ClusterStatus>,
}

#[derive(InputObject)]
pub struct ClusterKeywordsInput {
    pub cluster_id: ID,
    pub keyword_ids: Vec<ID>,
}

#[derive(InputObject, Clone)]
pub struct OutlineSectionInput {
    pub heading: String,
    /// 2 (h2, the default) or 3 (h3).
    pub level: Option<i32>,
    pub notes: Option<String>,
    pub target_keywords: Option<Vec<String>>,
}

#[derive(InputObject, Clone)]
pub struct OutlineInput {
    pub sections: Vec<OutlineSectionInput>,
}

fn outline_json(o: OutlineInput) -> ApiResult<serde_json::Value> {
    let core = CoreOutline {
        sections: o
            .sections
            .into_iter()
            .map(|s| CoreSection {
                heading: s.heading,
                level: u8::try_from(s.level.unwrap_or(2)).unwrap_or(u8::MAX),
                notes: s.notes.unwrap_or_default(),
                target_keywords: s.target_keywords.unwrap_or_default(),
            })
            .collect(),
    };
    let clean = core.validate()?;
    serde_json::to_value(clean).map_err(ApiError::internal)
}

#[derive(InputObject)]
pub struct CreateIdeaInput {
    pub cluster_id: ID,
    pub title: String,
    pub description: Option<String>,
    pub content_type: Option<ContentType>,
    pub content_structure: Option<ContentStructure>,
    pub outline: Option<OutlineInput>,
    pub target_keywords: Option<Vec<String>>,
    pub estimated_word_count: Option<i32>,
}

#[derive(InputObject)]
pub struct UpdateIdeaInput {
    pub id: ID,
    pub title: Option<String>,
    pub description: Option<String>,
    pub content_type: Option<ContentType>,
    pub content_structure: Option<ContentStructure>,
    pub outline: Option<OutlineInput>,
    pub target_keywords: Option<Vec<String>>,
    pub estimated_word_count: Option<i32>,
    pub status: Option<IdeaStatus>,
}

#[derive(InputObject)]
pub struct QueueIdeasToWriterInput {
    pub idea_ids: Vec<ID>,
}

fn word_count(v: i32) -> ApiResult<i32> {
    if (100..=20_000).contains(&v) {
        Ok(v)
    } else {
        Err(ApiError::bad_input(
            "estimatedWordCount",
            "estimatedWordCount: must be between 100 and 20000",
        ))
    }
}

fn difficulty(v: i32) -> ApiResult<i32> {
    Ok(p::difficulty(v)?)
}

fn volume(v: i64) -> ApiResult<i64> {
    Ok(p::volume(v)?)
}

/// Imports parsed rows into a sector; duplicates (in the file or stored) are skipped.
async fn import(
    ctx: &Context<'_>,
    sector_id: &ID,
    parsed: ParsedCsv,
) -> Result<ImportKeywordsPayload> {
    let c = caller(ctx).await?;
    let sector_id = parse_id("sectorId", sector_id)?;
    let valid = parsed.rows.len();
    let rows = parsed
        .rows
        .into_iter()
        .map(|r| keywords::NewKeyword {
            keyword: r.keyword,
            key: r.key,
            volume: r.volume,
            difficulty: r.difficulty,
            intent: r.intent.map(|i| i.as_str().to_owned()),
            seed_keyword_id: None,
        })
        .collect();
    let created = c
        .run(async |tx| {
            let sector = writable(
                c.actor,
                "sector",
                sectors::get(tx, &c.scope, sector_id).await,
            )?;
            Ok(keywords::insert_many(tx, &sector, rows).await?)
        })
        .await?;
    Ok(ImportKeywordsPayload {
        created: created as i32,
        skipped: (valid - created + parsed.duplicates_in_file) as i32,
        ignored_columns: parsed.ignored_columns,
        delimiter: Some(parsed.delimiter.to_string()),
        encoding: Some(parsed.encoding.into()),
        errors: parsed
            .errors
            .into_iter()
            .map(|e| ImportRowError {
                line: e.line as i32,
                message: e.message,
            })
            .collect(),
    })
}

#[Object]
impl PlannerMutation {
    /// Adds one keyword to a sector; a duplicate (same text, any case) is a `CONFLICT`.
    async fn create_keyword(
        &self,
        ctx: &Context<'_>,
        input: CreateKeywordInput,
    ) -> Result<Keyword> {
        let c = caller(ctx).await?;
        let sector_id = parse_id("sectorId", &input.sector_id)?;
        let text = p::keyword_text(&input.keyword).map_err(gql)?;
        let k = keywords::NewKeyword {
            key: p::keyword_key(&text),
            keyword: text,
            volume: input.volume.map(volume).transpose()?,
            difficulty: input.difficulty.map(difficulty).transpose()?,
            intent: input.intent.map(intent_str),
            seed_keyword_id: None,
        };
        c.run(async |tx| {
            let sector = writable(
                c.actor,
                "sector",
                sectors::get(tx, &c.scope, sector_id).await,
            )?;
            Ok(Keyword(keywords::create(tx, &sector, k).await?))
        })
        .await
    }

    async fn update_keyword(
        &self,
        ctx: &Context<'_>,
        input: UpdateKeywordInput,
    ) -> Result<Keyword> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let text = input
            .keyword
            .as_deref()
            .map(p::keyword_text)
            .transpose()
            .map_err(gql)?;
        let changes = keywords::KeywordChanges {
            keyword_key: text.as_deref().map(p::keyword_key),
            keyword: text,
            volume: maybe(input.volume, volume)?,
            difficulty: maybe(input.difficulty, difficulty)?,
            intent: maybe(input.intent, |v| Ok(intent_str(v)))?,
            status: input.status.map(keyword_status_str),
        };
        c.run(async |tx| {
            writable(c.actor, "keyword", keywords::get(tx, &c.scope, id).await)?;
            Ok(Keyword(keywords::update(tx, &c.scope, id, changes).await?))
        })
        .await
    }

    async fn delete_keyword(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let c = caller(ctx).await?;
        c.delete_one(input.id, "keyword", keywords::delete_many)
            .await
    }

    /// Deletes every keyword named, or none (one unknown id → `NOT_FOUND`).
    async fn bulk_delete_keywords(&self, ctx: &Context<'_>, input: IdsInput) -> Result<i32> {
        let c = caller(ctx).await?;
        c.bulk_count("ids", &input.ids, "keyword", keywords::delete_many)
            .await
    }

    async fn bulk_update_keyword_status(
        &self,
        ctx: &Context<'_>,
        input: BulkUpdateKeywordStatusInput,
    ) -> Result<i32> {
        let c = caller(ctx).await?;
        let status = keyword_status_str(input.status);
        c.bulk_count("ids", &input.ids, "keyword", async |tx, scope, ids| {
            keywords::set_status(tx, scope, ids, &status).await
        })
        .await
    }

    /// Imports keywords from CSV text (PLN-2). Valid rows are imported,
    /// invalid ones reported with their line; a file that is not CSV, or is
    /// over 5 MiB / 50,000 rows, is refused whole.
    async fn import_keywords(
        &self,
        ctx: &Context<'_>,
        input: ImportKeywordsInput,
    ) -> Result<ImportKeywordsPayload> {
        let parsed = csv_import::parse_keywords_csv(input.csv.as_bytes()).map_err(gql)?;
        import(ctx, &input.sector_id, parsed).await
    }

    /// The same, for a file sent as a GraphQL multipart upload.
    async fn import_keywords_file(
        &self,
        ctx: &Context<'_>,
        input: ImportKeywordsFileInput,
    ) -> Result<ImportKeywordsPayload> {
        let upload = input
            .file
            .value(ctx)
            .map_err(|_| gql(ApiError::bad_input("file", "file: no uploaded file")))?;
        let parsed = csv_import::parse_keywords_csv(&upload.content)
            .map_err(|e| gql(ApiError::bad_input("file", format!("file: {}", e.message))))?;
        import(ctx, &input.sector_id, parsed).await
    }

    /// Adds keywords from the seed library to a sector (PLN-5).
    async fn add_seed_keywords(
        &self,
        ctx: &Context<'_>,
        input: AddSeedKeywordsInput,
    ) -> Result<ImportKeywordsPayload> {
        let c = caller(ctx).await?;
        let sector_id = parse_id("sectorId", &input.sector_id)?;
        let ids = bulk_ids("seedKeywordIds", &input.seed_keyword_ids)?;
        ensure_can_write(c.actor)?;
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        let (created, n) = c
            .run(async |tx| {
                let sector = writable(
                    c.actor,
                    "sector",
                    sectors::get(tx, &c.scope, sector_id).await,
                )?;
                let seeds = igny8_db::seeds::by_ids(tx, &ids).await?;
                if seeds.len() != unique.len() {
                    return Err(ApiError::NotFound("seed keyword"));
                }
                let n = seeds.len();
                let rows = seeds
                    .into_iter()
                    .map(|s| keywords::NewKeyword {
                        key: p::keyword_key(&s.keyword),
                        keyword: s.keyword,
                        volume: s.volume,
                        difficulty: s.difficulty,
                        intent: s.intent,
                        seed_keyword_id: Some(s.id),
                    })
                    .collect();
                Ok((keywords::insert_many(tx, &sector, rows).await?, n))
            })
            .await?;
        Ok(ImportKeywordsPayload {
            created: created as i32,
            skipped: (n - created) as i32,
            errors: vec![],
            ignored_columns: vec![],
            delimiter: None,
            encoding: None,
        })
    }

    async fn create_cluster(
        &self,
        ctx: &Context<'_>,
        input: CreateClusterInput,
    ) -> Result<Cluster> {
        let c = caller(ctx).await?;
        let sector_id = parse_id("sectorId", &input.sector_id)?;
        let name = validate::name("name", &input.name).map_err(gql)?;
        let description = opt_text("description", input.description, 5000)?.unwrap_or_default();
        c.run(async |tx| {
            let sector = writable(
                c.actor,
                "sector",
                sectors::get(tx, &c.scope, sector_id).await,
            )?;
            Ok(Cluster(
                clusters::create(tx, &sector, name, description).await?,
            ))
        })
        .await
    }

    async fn update_cluster(
        &self,
        ctx: &Context<'_>,
        input: UpdateClusterInput,
    ) -> Result<Cluster> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let changes = clusters::ClusterChanges {
            name: optional_name("name", input.name.as_deref())?,
            description: input
                .description
                .map(|d| opt_text("description", Some(d), 5000).map(Option::unwrap_or_default))
                .transpose()?,
            status: input.status.map(cluster_status_str),
            description_generated: None,
        };
        c.run(async |tx| {
            writable(c.actor, "cluster", clusters::get(tx, &c.scope, id).await)?;
            Ok(Cluster(clusters::update(tx, &c.scope, id, changes).await?))
        })
        .await
    }

    /// Deletes a cluster; its keywords stay, unclustered.
    async fn delete_cluster(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        c.run(async |tx| {
            writable(c.actor, "cluster", clusters::get(tx, &c.scope, id).await)?;
            clusters::delete(tx, &c.scope, id).await?;
            Ok(input.id)
        })
        .await
    }

    /// Moves keywords of the cluster's sector into it (from any other cluster).
    async fn add_keywords_to_cluster(
        &self,
        ctx: &Context<'_>,
        input: ClusterKeywordsInput,
    ) -> Result<Cluster> {
        let c = caller(ctx).await?;
        let id = parse_id("clusterId", &input.cluster_id)?;
        let ids = bulk_ids("keywordIds", &input.keyword_ids)?;
        ensure_can_write(c.actor)?;
        c.run(async |tx| {
            let cluster = writable(c.actor, "cluster", clusters::get(tx, &c.scope, id).await)?;
            keywords::assign_cluster(tx, &c.scope, &cluster, &ids)
                .await
                .map_err(not_found("keyword"))?;
            Ok(Cluster(cluster))
        })
        .await
    }

    async fn remove_keywords_from_cluster(
        &self,
        ctx: &Context<'_>,
        input: ClusterKeywordsInput,
    ) -> Result<Cluster> {
        let c = caller(ctx).await?;
        let id = parse_id("clusterId", &input.cluster_id)?;
        let ids = bulk_ids("keywordIds", &input.keyword_ids)?;
        ensure_can_write(c.actor)?;
        c.run(async |tx| {
            let cluster = writable(c.actor, "cluster", clusters::get(tx, &c.scope, id).await)?;
            keywords::unassign_cluster(tx, &c.scope, &cluster, &ids)
                .await
                .map_err(not_found("keyword"))?;
            Ok(Cluster(cluster))
        })
        .await
    }

    async fn create_idea(&self, ctx: &Context<'_>, input: CreateIdeaInput) -> Result<Idea> {
        let c = caller(ctx).await?;
        let cluster_id = parse_id("clusterId", &input.cluster_id)?;
        let n = ideas::NewIdea {
            title: validate::name("title", &input.title).map_err(gql)?,
            description: opt_text("description", input.description, 5000)?.unwrap_or_default(),
            content_type: input.content_type.map_or_else(
                || p::ContentType::default().as_str().into(),
                content_type_str,
            ),
            content_structure: input.content_structure.map_or_else(
                || p::ContentStructure::default().as_str().into(),
                structure_str,
            ),
            outline: match input.outline {
                Some(o) => outline_json(o)?,
                None => serde_json::json!({"sections": []}),
            },
            target_keywords: keywords_list(
                "targetKeywords",
                input.target_keywords.unwrap_or_default(),
            )?,
            estimated_word_count: word_count(input.estimated_word_count.unwrap_or(1500))?,
        };
        c.run(async |tx| {
            let cluster = clusters::get(tx, &c.scope, cluster_id).await;
            let cluster = writable(c.actor, "cluster", cluster)?;
            Ok(Idea(ideas::create(tx, &cluster, n).await?))
        })
        .await
    }

    async fn update_idea(&self, ctx: &Context<'_>, input: UpdateIdeaInput) -> Result<Idea> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let changes = ideas::IdeaChanges {
            title: optional_name("title", input.title.as_deref())?,
            description: input
                .description
                .map(|d| opt_text("description", Some(d), 5000).map(Option::unwrap_or_default))
                .transpose()?,
            content_type: input.content_type.map(content_type_str),
            content_structure: input.content_structure.map(structure_str),
            outline: input.outline.map(outline_json).transpose()?,
            target_keywords: input
                .target_keywords
                .map(|k| keywords_list("targetKeywords", k))
                .transpose()?,
            estimated_word_count: input.estimated_word_count.map(word_count).transpose()?,
            status: input.status.map(idea_status_str),
        };
        c.run(async |tx| {
            writable(c.actor, "idea", ideas::get(tx, &c.scope, id).await)?;
            Ok(Idea(ideas::update(tx, &c.scope, id, changes).await?))
        })
        .await
    }

    async fn delete_idea(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        c.run(async |tx| {
            writable(c.actor, "idea", ideas::get(tx, &c.scope, id).await)?;
            ideas::delete(tx, &c.scope, id).await?;
            Ok(input.id)
        })
        .await
    }

    /// Makes a writer task of each idea (PLN-8). Idempotent: an idea already
    /// queued returns its existing task, never a second one.
    async fn queue_ideas_to_writer(
        &self,
        ctx: &Context<'_>,
        input: QueueIdeasToWriterInput,
    ) -> Result<Vec<Task>> {
        let c = caller(ctx).await?;
        let tasks = c
            .bulk(
                "ideaIds",
                &input.idea_ids,
                "idea",
                async |tx, scope, ids| ideas::queue_to_writer(tx, scope, ids).await,
            )
            .await?;
        Ok(tasks.into_iter().map(Task).collect())
    }
}
