//! GraphQL enums mirroring the domain enums of `igny8_core::planner`.

use async_graphql::Enum;
use igny8_core::planner as p;

/// Stored text → GraphQL enum; an unknown stored value is an internal error.
pub fn parse<T: std::str::FromStr, G: From<T>>(stored: &str) -> async_graphql::Result<G> {
    stored.parse::<T>().map(G::from).map_err(|_| {
        crate::error::ApiError::internal(format!("unknown stored value {stored:?}")).into()
    })
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "p::KeywordIntent")]
pub enum KeywordIntent {
    Informational,
    Navigational,
    Commercial,
    Transactional,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "p::KeywordStatus")]
pub enum KeywordStatus {
    Active,
    Inactive,
    Archived,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "p::ClusterStatus")]
pub enum ClusterStatus {
    Active,
    Inactive,
    Archived,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "p::IdeaStatus")]
pub enum IdeaStatus {
    New,
    Queued,
    Completed,
    Archived,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "p::ContentType")]
pub enum ContentType {
    Post,
    Page,
    Product,
    Service,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "p::ContentStructure")]
pub enum ContentStructure {
    Article,
    Guide,
    Listicle,
    HowTo,
    Comparison,
    Review,
    ClusterHub,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "p::TaskStatus")]
pub enum TaskStatus {
    Draft,
    InProgress,
    Review,
    Completed,
    Archived,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "p::ContentStatus")]
pub enum ContentStatus {
    Draft,
    Review,
    Published,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "p::ImageType")]
pub enum ImageType {
    Featured,
    InArticle,
    Desktop,
    Mobile,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "p::ImageStatus")]
pub enum ImageStatus {
    Pending,
    Generated,
    Failed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

impl SortDirection {
    pub fn desc(self) -> bool {
        self == SortDirection::Desc
    }
}

macro_rules! store_fns {
    ($($fn_name:ident: $g:ty => $t:ty),* $(,)?) => {
        $(pub fn $fn_name(g: $g) -> String { <$t>::from(g).as_str().to_owned() })*
    };
}

store_fns! {
    intent_str: KeywordIntent => p::KeywordIntent,
    keyword_status_str: KeywordStatus => p::KeywordStatus,
    cluster_status_str: ClusterStatus => p::ClusterStatus,
    idea_status_str: IdeaStatus => p::IdeaStatus,
    content_type_str: ContentType => p::ContentType,
    structure_str: ContentStructure => p::ContentStructure,
    task_status_str: TaskStatus => p::TaskStatus,
    content_status_str: ContentStatus => p::ContentStatus,
    image_type_str: ImageType => p::ImageType,
    image_status_str: ImageStatus => p::ImageStatus,
}
