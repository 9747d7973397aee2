//! PREP's view of the Thinker (JOB-8): the account's template for the
//! job's function, the author profile the request picked, and the active
//! strategy of each sector involved; renders each call's prompt off the
//! async runtime (`crate::render`).

use super::RunError;
use igny8_core::Scope;
use igny8_core::ai::templates;
use igny8_core::jobs::AiFunction;
use igny8_db::Tx;
use igny8_db::models::{AuthorProfile, Sector, Site, Strategy};
use serde_json::{Value, json};
use std::collections::HashMap;
use uuid::Uuid;

pub struct Prompts {
    /// `None` for a kind that calls no AI provider (it renders nothing).
    f: Option<AiFunction>,
    template: String,
    author: Option<AuthorProfile>,
    strategies: HashMap<Uuid, Option<Strategy>>,
    sites: HashMap<Uuid, Site>,
    sectors: HashMap<Uuid, Sector>,
}

impl Prompts {
    /// Loads the template of `f` (the account's or the default) and the
    /// author profile `author_id` names.
    pub async fn load(
        tx: &mut Tx,
        account_id: Uuid,
        f: Option<AiFunction>,
        author_id: Option<Uuid>,
    ) -> Result<Prompts, RunError> {
        let template = match f {
            Some(f) => igny8_db::thinker::prompt_override(tx, account_id, f.as_str())
                .await?
                .map_or_else(|| templates::default_template(f), |o| o.template),
            None => String::new(),
        };
        let author = match author_id {
            None => None,
            Some(id) => Some(
                igny8_db::thinker::get_author(tx, account_id, id)
                    .await
                    .map_err(|_| {
                        RunError::Permanent("the author profile no longer exists".into())
                    })?,
            ),
        };
        Ok(Prompts {
            f,
            template,
            author,
            strategies: HashMap::new(),
            sites: HashMap::new(),
            sectors: HashMap::new(),
        })
    }

    pub fn tone(&self) -> Option<String> {
        self.author.as_ref().map(|a| a.tone.clone())
    }

    pub fn language(&self) -> Option<String> {
        self.author.as_ref().map(|a| a.language.clone())
    }

    pub async fn sector(&mut self, tx: &mut Tx, sc: &Scope, id: Uuid) -> Result<Sector, RunError> {
        if let Some(s) = self.sectors.get(&id) {
            return Ok(s.clone());
        }
        let s = igny8_db::sectors::get(tx, sc, id).await?;
        self.sectors.insert(id, s.clone());
        Ok(s)
    }

    pub async fn site(&mut self, tx: &mut Tx, sc: &Scope, id: Uuid) -> Result<Site, RunError> {
        if let Some(s) = self.sites.get(&id) {
            return Ok(s.clone());
        }
        let s = igny8_db::sites::get(tx, sc, id).await?;
        self.sites.insert(id, s.clone());
        Ok(s)
    }

    /// Renders the template for one call in `sector_id`: site, sector,
    /// author and strategy, plus the function's own placeholders.
    pub async fn render(
        &mut self,
        tx: &mut Tx,
        sc: &Scope,
        site_id: Uuid,
        sector_id: Uuid,
        own: Value,
    ) -> Result<String, RunError> {
        let Some(f) = self.f else {
            return Err(RunError::Permanent("this kind of job has no prompt".into()));
        };
        let site = self.site(tx, sc, site_id).await?;
        let sector = self.sector(tx, sc, sector_id).await?;
        let strategy = match self.strategies.get(&sector_id) {
            Some(s) => s.clone(),
            None => {
                let account = sc.account_id.unwrap_or(site.account_id);
                let s = igny8_db::thinker::strategy_for(tx, account, sector_id, f.as_str()).await?;
                self.strategies.insert(sector_id, s.clone());
                s
            }
        };
        let mut vars = json!({
            "site": {"name": site.name, "domain": site.domain},
            "sector": {"name": sector.name},
            "author": self.author.as_ref().map(|a| json!({
                "name": a.name, "description": a.description, "tone": a.tone, "language": a.language,
            })),
            "strategy": strategy.map(|s| json!({
                "name": s.name, "description": s.description, "section_logic": s.section_logic,
            })),
        });
        if let (Some(v), Some(own)) = (vars.as_object_mut(), own.as_object()) {
            v.extend(own.clone());
        }
        crate::render::render(self.template.clone(), vars)
            .await
            .map_err(|e| RunError::Permanent(format!("prompt template: {}", e.message)))
    }
}
