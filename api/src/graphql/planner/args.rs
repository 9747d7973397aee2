//! Filter and order inputs of planner and writer lists, and their
//! conversion to `igny8_db` filters.

use crate::error::ApiResult;
use crate::graphql::enums::*;
use crate::graphql::spine::optional_id;
use async_graphql::{Enum, ID, InputObject};
use igny8_db::listing::Order;

#[derive(InputObject, Default, Clone)]
pub struct KeywordFilter {
    pub site_id: Option<ID>,
    pub sector_id: Option<ID>,
    pub status: Option<KeywordStatus>,
    pub intent: Option<KeywordIntent>,
    pub cluster_id: Option<ID>,
    /// true: only keywords in a cluster; false: only unclustered ones.
    pub clustered: Option<bool>,
    pub difficulty_min: Option<i32>,
    pub difficulty_max: Option<i32>,
    pub volume_min: Option<i64>,
    pub volume_max: Option<i64>,
    /// Case-insensitive substring of the keyword.
    pub search: Option<String>,
}

impl KeywordFilter {
    pub fn to_db(&self) -> ApiResult<igny8_db::keywords::KeywordFilter> {
        Ok(igny8_db::keywords::KeywordFilter {
            site_id: optional_id("filter.siteId", self.site_id.as_ref())?,
            sector_id: optional_id("filter.sectorId", self.sector_id.as_ref())?,
            status: self.status.map(keyword_status_str),
            intent: self.intent.map(intent_str),
            cluster_id: optional_id("filter.clusterId", self.cluster_id.as_ref())?,
            clustered: self.clustered,
            difficulty_min: self.difficulty_min.map(i64::from),
            difficulty_max: self.difficulty_max.map(i64::from),
            volume_min: self.volume_min,
            volume_max: self.volume_max,
            search: self.search.clone(),
        })
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum KeywordOrderField {
    Keyword,
    Volume,
    Difficulty,
    CreatedAt,
}

#[derive(InputObject, Clone, Copy)]
pub struct KeywordOrder {
    pub field: KeywordOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
}

pub fn keyword_order(
    o: &Option<Vec<KeywordOrder>>,
) -> Vec<Order<igny8_db::keywords::KeywordField>> {
    use igny8_db::keywords::KeywordField as F;
    o.iter()
        .flatten()
        .map(|o| Order {
            field: match o.field {
                KeywordOrderField::Keyword => F::Keyword,
                KeywordOrderField::Volume => F::Volume,
                KeywordOrderField::Difficulty => F::Difficulty,
                KeywordOrderField::CreatedAt => F::CreatedAt,
            },
            desc: o.direction.desc(),
        })
        .collect()
}

#[derive(InputObject, Default, Clone)]
pub struct ClusterFilter {
    pub site_id: Option<ID>,
    pub sector_id: Option<ID>,
    pub status: Option<ClusterStatus>,
    /// Case-insensitive substring of the name.
    pub search: Option<String>,
}

impl ClusterFilter {
    pub fn to_db(&self) -> ApiResult<igny8_db::clusters::ClusterFilter> {
        Ok(igny8_db::clusters::ClusterFilter {
            site_id: optional_id("filter.siteId", self.site_id.as_ref())?,
            sector_id: optional_id("filter.sectorId", self.sector_id.as_ref())?,
            status: self.status.map(cluster_status_str),
            search: self.search.clone(),
        })
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ClusterOrderField {
    Name,
    KeywordsCount,
    Volume,
    CreatedAt,
}

#[derive(InputObject, Clone, Copy)]
pub struct ClusterOrder {
    pub field: ClusterOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
}

pub fn cluster_order(
    o: &Option<Vec<ClusterOrder>>,
) -> Vec<Order<igny8_db::clusters::ClusterField>> {
    use igny8_db::clusters::ClusterField as F;
    o.iter()
        .flatten()
        .map(|o| Order {
            field: match o.field {
                ClusterOrderField::Name => F::Name,
                ClusterOrderField::KeywordsCount => F::KeywordsCount,
                ClusterOrderField::Volume => F::Volume,
                ClusterOrderField::CreatedAt => F::CreatedAt,
            },
            desc: o.direction.desc(),
        })
        .collect()
}

#[derive(InputObject, Default, Clone)]
pub struct IdeaFilter {
    pub site_id: Option<ID>,
    pub sector_id: Option<ID>,
    pub cluster_id: Option<ID>,
    pub status: Option<IdeaStatus>,
    pub content_type: Option<ContentType>,
    pub content_structure: Option<ContentStructure>,
    /// Case-insensitive substring of the title.
    pub search: Option<String>,
}

impl IdeaFilter {
    pub fn to_db(&self) -> ApiResult<igny8_db::ideas::IdeaFilter> {
        Ok(igny8_db::ideas::IdeaFilter {
            site_id: optional_id("filter.siteId", self.site_id.as_ref())?,
            sector_id: optional_id("filter.sectorId", self.sector_id.as_ref())?,
            cluster_id: optional_id("filter.clusterId", self.cluster_id.as_ref())?,
            status: self.status.map(idea_status_str),
            content_type: self.content_type.map(content_type_str),
            content_structure: self.content_structure.map(structure_str),
            search: self.search.clone(),
        })
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum IdeaOrderField {
    Title,
    EstimatedWordCount,
    CreatedAt,
}

#[derive(InputObject, Clone, Copy)]
pub struct IdeaOrder {
    pub field: IdeaOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
}

pub fn idea_order(o: &Option<Vec<IdeaOrder>>) -> Vec<Order<igny8_db::ideas::IdeaField>> {
    use igny8_db::ideas::IdeaField as F;
    o.iter()
        .flatten()
        .map(|o| Order {
            field: match o.field {
                IdeaOrderField::Title => F::Title,
                IdeaOrderField::EstimatedWordCount => F::EstimatedWordCount,
                IdeaOrderField::CreatedAt => F::CreatedAt,
            },
            desc: o.direction.desc(),
        })
        .collect()
}

#[derive(InputObject, Default, Clone)]
pub struct TaskFilter {
    pub site_id: Option<ID>,
    pub sector_id: Option<ID>,
    pub cluster_id: Option<ID>,
    pub status: Option<TaskStatus>,
    pub content_type: Option<ContentType>,
    pub content_structure: Option<ContentStructure>,
    /// Case-insensitive substring of the title.
    pub search: Option<String>,
}

impl TaskFilter {
    pub fn to_db(&self) -> ApiResult<igny8_db::tasks::TaskFilter> {
        Ok(igny8_db::tasks::TaskFilter {
            site_id: optional_id("filter.siteId", self.site_id.as_ref())?,
            sector_id: optional_id("filter.sectorId", self.sector_id.as_ref())?,
            cluster_id: optional_id("filter.clusterId", self.cluster_id.as_ref())?,
            status: self.status.map(task_status_str),
            content_type: self.content_type.map(content_type_str),
            content_structure: self.content_structure.map(structure_str),
            search: self.search.clone(),
        })
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum TaskOrderField {
    Title,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(InputObject, Clone, Copy)]
pub struct TaskOrder {
    pub field: TaskOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
}

pub fn task_order(o: &Option<Vec<TaskOrder>>) -> Vec<Order<igny8_db::tasks::TaskField>> {
    use igny8_db::tasks::TaskField as F;
    o.iter()
        .flatten()
        .map(|o| Order {
            field: match o.field {
                TaskOrderField::Title => F::Title,
                TaskOrderField::Status => F::Status,
                TaskOrderField::CreatedAt => F::CreatedAt,
                TaskOrderField::UpdatedAt => F::UpdatedAt,
            },
            desc: o.direction.desc(),
        })
        .collect()
}

#[derive(InputObject, Default, Clone)]
pub struct ContentFilter {
    pub site_id: Option<ID>,
    pub sector_id: Option<ID>,
    pub task_id: Option<ID>,
    /// DRAFT and REVIEW are the drafts view; PUBLISHED the published one.
    pub status: Option<ContentStatus>,
    pub content_type: Option<ContentType>,
    /// Case-insensitive substring of the meta title or primary keyword.
    pub search: Option<String>,
}

impl ContentFilter {
    pub fn to_db(&self) -> ApiResult<igny8_db::contents::ContentFilter> {
        Ok(igny8_db::contents::ContentFilter {
            site_id: optional_id("filter.siteId", self.site_id.as_ref())?,
            sector_id: optional_id("filter.sectorId", self.sector_id.as_ref())?,
            task_id: optional_id("filter.taskId", self.task_id.as_ref())?,
            status: self.status.map(content_status_str),
            content_type: self.content_type.map(content_type_str),
            search: self.search.clone(),
        })
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ContentOrderField {
    WordCount,
    CreatedAt,
    UpdatedAt,
}

#[derive(InputObject, Clone, Copy)]
pub struct ContentOrder {
    pub field: ContentOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
}

pub fn content_order(
    o: &Option<Vec<ContentOrder>>,
) -> Vec<Order<igny8_db::contents::ContentField>> {
    use igny8_db::contents::ContentField as F;
    o.iter()
        .flatten()
        .map(|o| Order {
            field: match o.field {
                ContentOrderField::WordCount => F::WordCount,
                ContentOrderField::CreatedAt => F::CreatedAt,
                ContentOrderField::UpdatedAt => F::UpdatedAt,
            },
            desc: o.direction.desc(),
        })
        .collect()
}

#[derive(InputObject, Default, Clone)]
pub struct ImageFilter {
    pub site_id: Option<ID>,
    pub sector_id: Option<ID>,
    pub content_id: Option<ID>,
    pub task_id: Option<ID>,
    pub image_type: Option<ImageType>,
    pub status: Option<ImageStatus>,
}

impl ImageFilter {
    pub fn to_db(&self) -> ApiResult<igny8_db::images::ImageFilter> {
        Ok(igny8_db::images::ImageFilter {
            site_id: optional_id("filter.siteId", self.site_id.as_ref())?,
            sector_id: optional_id("filter.sectorId", self.sector_id.as_ref())?,
            content_id: optional_id("filter.contentId", self.content_id.as_ref())?,
            task_id: optional_id("filter.taskId", self.task_id.as_ref())?,
            image_type: self.image_type.map(image_type_str),
            status: self.status.map(image_status_str),
        })
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ImageOrderField {
    Position,
    CreatedAt,
}

#[derive(InputObject, Clone, Copy)]
pub struct ImageOrder {
    pub field: ImageOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
}

pub fn image_order(o: &Option<Vec<ImageOrder>>) -> Vec<Order<igny8_db::images::ImageField>> {
    use igny8_db::images::ImageField as F;
    o.iter()
        .flatten()
        .map(|o| Order {
            field: match o.field {
                ImageOrderField::Position => F::Position,
                ImageOrderField::CreatedAt => F::CreatedAt,
            },
            desc: o.direction.desc(),
        })
        .collect()
}
