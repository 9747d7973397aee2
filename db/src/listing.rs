//! Filtered, ordered, paged lists in raw SQL with dynamic binds: one builder
//! for top-level lists (count + page) and for children of many parents at
//! once (count per parent + one windowed query), so nested connections cost
//! two statements per level whatever the number of parents.

use crate::DbResult;
use diesel::QueryableByName;
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{Array, BigInt, Bool, Int4, Int8, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::page::PageArgs;
use igny8_core::{Page, Scope};
use std::collections::HashMap;
use uuid::Uuid;

/// One bind value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Bind {
    Uuid(Uuid),
    Uuids(Vec<Uuid>),
    Text(String),
    I64(i64),
    I64s(Vec<i64>),
    I32(i32),
    Bool(bool),
}

/// SQL text with `$n` placeholders and their values.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_owned(),
            binds: vec![],
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Appends a placeholder for `b`.
    pub fn bind(&mut self, b: Bind) -> &mut Self {
        self.binds.push(b);
        let n = self.binds.len();
        self.text.push_str(&format!("${n}"));
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn query(&self) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
        let mut q = diesel::sql_query(self.text.clone()).into_boxed::<Pg>();
        for b in &self.binds {
            q = match b.clone() {
                Bind::Uuid(v) => q.bind::<SqlUuid, _>(v),
                Bind::Uuids(v) => q.bind::<Array<SqlUuid>, _>(v),
                Bind::Text(v) => q.bind::<Text, _>(v),
                Bind::I64(v) => q.bind::<Int8, _>(v),
                Bind::I64s(v) => q.bind::<Array<Int8>, _>(v),
                Bind::I32(v) => q.bind::<Int4, _>(v),
                Bind::Bool(v) => q.bind::<Bool, _>(v),
            };
        }
        q
    }

    pub async fn fetch<T: QueryableByName<Pg> + Send + 'static>(
        &self,
        conn: &mut AsyncPgConnection,
    ) -> DbResult<Vec<T>> {
        Ok(self.query().load(conn).await?)
    }

    pub async fn run(&self, conn: &mut AsyncPgConnection) -> DbResult<usize> {
        Ok(self.query().execute(conn).await?)
    }
}

/// A condition list joined with AND; each piece appends its own binds.
pub struct Where<'a> {
    sql: &'a mut Sql,
}

impl<'a> Where<'a> {
    /// Starts `WHERE true` on `sql`, then adds the scope's walls on alias `t`.
    pub fn start(sql: &'a mut Sql, scope: &Scope) -> Self {
        sql.push(" WHERE true");
        let mut w = Where { sql };
        if let Some(a) = scope.account_id {
            w.and("t.account_id = ").bind(Bind::Uuid(a));
        }
        if let Some(ids) = scope.site_ids() {
            w.and("t.site_id = ANY(")
                .bind(Bind::Uuids(ids.to_vec()))
                .push(")");
        }
        w
    }

    /// Appends ` AND <s>`; continue with `bind`/`push` on the result.
    pub fn and(&mut self, s: &str) -> &mut Sql {
        self.sql.push(" AND ");
        self.sql.push(s)
    }

    pub fn eq_uuid(&mut self, col: &str, v: Option<Uuid>) {
        if let Some(v) = v {
            self.and(&format!("t.{col} = ")).bind(Bind::Uuid(v));
        }
    }

    pub fn eq_text(&mut self, col: &str, v: Option<&str>) {
        if let Some(v) = v {
            self.and(&format!("t.{col} = "))
                .bind(Bind::Text(v.to_owned()));
        }
    }

    /// Case-insensitive substring, matched literally.
    pub fn contains(&mut self, col: &str, v: Option<&str>) {
        if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
            self.and(&format!("t.{col} ILIKE "))
                .bind(Bind::Text(format!("%{}%", crate::like_escape(v))));
        }
    }

    pub fn range_i64(&mut self, col: &str, min: Option<i64>, max: Option<i64>) {
        if let Some(m) = min {
            self.and(&format!("t.{col} >= ")).bind(Bind::I64(m));
        }
        if let Some(m) = max {
            self.and(&format!("t.{col} <= ")).bind(Bind::I64(m));
        }
    }
}

/// A table that can be listed: its name, columns, filter and order.
pub trait Listable {
    type Row: QueryableByName<Pg> + Send + 'static;
    type Filter;
    type Order;
    const TABLE: &'static str;
    /// Applies the filter's conditions (the scope is applied already).
    fn filter(w: &mut Where<'_>, f: &Self::Filter);
    /// `ORDER BY` terms over alias `t`, without the trailing id tiebreak.
    fn order(o: &[Self::Order]) -> String;
    fn default_order() -> &'static str {
        "t.created_at ASC"
    }
}

fn order_by<L: Listable>(o: &[L::Order]) -> String {
    let terms = if o.is_empty() {
        L::default_order().to_owned()
    } else {
        L::order(o)
    };
    format!("{terms}, t.id ASC")
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

#[derive(QueryableByName)]
struct ParentTotal {
    #[diesel(sql_type = SqlUuid)]
    parent: Uuid,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// One page of a top-level list: a count, then the page.
pub async fn list<L: Listable>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &L::Filter,
    o: &[L::Order],
    args: &PageArgs,
) -> DbResult<crate::Listed<L::Row>> {
    let mut count = Sql::new(&format!("SELECT count(*) AS total FROM {} t", L::TABLE));
    L::filter(&mut Where::start(&mut count, scope), f);
    let total = count
        .fetch::<Total>(conn)
        .await?
        .into_iter()
        .next()
        .map_or(0, |t| t.total);
    let page = args.window(total);
    if page.limit == 0 {
        return Ok(crate::Listed {
            rows: vec![],
            page,
            total,
        });
    }
    let mut q = Sql::new(&format!("SELECT t.* FROM {} t", L::TABLE));
    L::filter(&mut Where::start(&mut q, scope), f);
    q.push(&format!(" ORDER BY {} OFFSET ", order_by::<L>(o)))
        .bind(Bind::I64(page.offset))
        .push(" LIMIT ")
        .bind(Bind::I64(page.limit));
    let rows = q.fetch::<L::Row>(conn).await?;
    Ok(crate::Listed { rows, page, total })
}

/// Every row matching, in order, up to `cap` rows (exports).
pub async fn all<L: Listable>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &L::Filter,
    o: &[L::Order],
    cap: i64,
) -> DbResult<Vec<L::Row>> {
    let mut q = Sql::new(&format!("SELECT t.* FROM {} t", L::TABLE));
    L::filter(&mut Where::start(&mut q, scope), f);
    q.push(&format!(" ORDER BY {} LIMIT ", order_by::<L>(o)))
        .bind(Bind::I64(cap));
    q.fetch::<L::Row>(conn).await
}

/// Pages of children for many parents at once (`parent_col` in `parents`):
/// one count per parent, then one windowed query. Two statements in all, or
/// one when the caller skips the total (`PageArgs::skip_total`).
pub async fn children<L: Listable>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    parent_col: &str,
    parents: &[Uuid],
    f: &L::Filter,
    o: &[L::Order],
    args: &PageArgs,
    parent_of: impl Fn(&L::Row) -> Uuid,
) -> DbResult<HashMap<Uuid, crate::Listed<L::Row>>> {
    // without a count the window is taken as if the list were endless, and
    // one row more is fetched, so `hasNextPage` is still known
    let counted = !args.skip_total || args.needs_total();
    let extra = i64::from(!counted);
    let totals: HashMap<Uuid, i64> = if counted {
        let mut count = Sql::new(&format!(
            "SELECT t.{parent_col} AS parent, count(*) AS total FROM {} t",
            L::TABLE
        ));
        {
            let mut w = Where::start(&mut count, scope);
            w.and(&format!("t.{parent_col} = ANY("))
                .bind(Bind::Uuids(parents.to_vec()))
                .push(")");
            L::filter(&mut w, f);
        }
        count.push(&format!(" GROUP BY t.{parent_col}"));
        count
            .fetch::<ParentTotal>(conn)
            .await?
            .into_iter()
            .map(|t| (t.parent, t.total))
            .collect()
    } else {
        HashMap::new()
    };

    let mut windows: Vec<(Uuid, Page, i64)> = vec![];
    for p in parents {
        if counted {
            let total = totals.get(p).copied().unwrap_or(0);
            windows.push((*p, args.window(total), total));
        } else {
            windows.push((*p, args.window(i64::MAX), 0));
        }
    }

    let wanted: Vec<&(Uuid, Page, i64)> = windows
        .iter()
        .filter(|(_, page, _)| page.limit + extra > 0)
        .collect();
    let mut out: HashMap<Uuid, crate::Listed<L::Row>> = windows
        .iter()
        .map(|(p, page, total)| {
            (
                *p,
                crate::Listed {
                    rows: vec![],
                    page: *page,
                    total: *total,
                },
            )
        })
        .collect();
    if wanted.is_empty() {
        return Ok(out);
    }
    let mut q = Sql::new(&format!(
        "SELECT x.* FROM (SELECT t.*, row_number() OVER (PARTITION BY t.{parent_col} ORDER BY {}) AS igny8_rn FROM {} t",
        order_by::<L>(o),
        L::TABLE
    ));
    {
        let mut w = Where::start(&mut q, scope);
        w.and(&format!("t.{parent_col} = ANY("))
            .bind(Bind::Uuids(wanted.iter().map(|w| w.0).collect()))
            .push(")");
        L::filter(&mut w, f);
    }
    q.push(") x JOIN unnest(")
        .bind(Bind::Uuids(wanted.iter().map(|w| w.0).collect()))
        .push("::uuid[], ")
        .bind(Bind::I64s(wanted.iter().map(|w| w.1.offset).collect()))
        .push("::bigint[], ")
        .bind(Bind::I64s(wanted.iter().map(|w| w.1.limit + extra).collect()))
        .push(&format!(
            "::bigint[]) AS w(parent, off, lim) ON w.parent = x.{parent_col} \
             WHERE x.igny8_rn > w.off AND x.igny8_rn <= w.off + w.lim ORDER BY x.{parent_col}, x.igny8_rn"
        ));
    for row in q.fetch::<L::Row>(conn).await? {
        if let Some(l) = out.get_mut(&parent_of(&row)) {
            l.rows.push(row);
        }
    }
    if !counted {
        // the total is then a lower bound that keeps `hasNextPage` exact:
        // the rows seen, the extra one included, past the window's start
        for l in out.values_mut() {
            l.total = l.page.offset + l.rows.len() as i64;
            l.rows.truncate(l.page.limit as usize);
        }
    }
    Ok(out)
}

/// A sort term: a field and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Order<F> {
    pub field: F,
    pub desc: bool,
}

impl<F> Order<F> {
    pub fn dir(&self) -> &'static str {
        if self.desc { "DESC" } else { "ASC" }
    }
}

/// How many of `ids` the scope can see in `table`: bulk calls are
/// all-or-nothing, so one foreign id rejects the whole call.
pub async fn count_visible(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    table: &str,
    ids: &[Uuid],
) -> DbResult<i64> {
    let mut q = Sql::new(&format!(
        "SELECT count(DISTINCT t.id) AS total FROM {table} t"
    ));
    Where::start(&mut q, scope)
        .and("t.id = ANY(")
        .bind(Bind::Uuids(ids.to_vec()))
        .push(")");
    Ok(q.fetch::<Total>(conn)
        .await?
        .into_iter()
        .next()
        .map_or(0, |t| t.total))
}

/// `NotFound` unless every id (deduplicated) is visible to the scope.
pub async fn ensure_visible(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    table: &str,
    ids: &[Uuid],
) -> DbResult<()> {
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    if count_visible(conn, scope, table, &unique).await? == unique.len() as i64 {
        Ok(())
    } else {
        Err(crate::DbError::NotFound)
    }
}

/// Deletes all of `ids` from `table`, or none when one is not visible.
pub async fn delete_many(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    table: &str,
    ids: &[Uuid],
) -> DbResult<usize> {
    ensure_visible(conn, scope, table, ids).await?;
    let mut q = Sql::new(&format!("DELETE FROM {table} t"));
    Where::start(&mut q, scope)
        .and("t.id = ANY(")
        .bind(Bind::Uuids(ids.to_vec()))
        .push(")");
    q.run(conn).await
}

/// Sets `status` on all of `ids`, or on none when one is not visible.
pub async fn set_status(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    table: &str,
    ids: &[Uuid],
    status: &str,
) -> DbResult<usize> {
    ensure_visible(conn, scope, table, ids).await?;
    let mut q = Sql::new(&format!("UPDATE {table} t SET status = "));
    q.bind(Bind::Text(status.to_owned()));
    Where::start(&mut q, scope)
        .and("t.id = ANY(")
        .bind(Bind::Uuids(ids.to_vec()))
        .push(")");
    q.run(conn).await
}

/// Rows of `L` whose `col` is one of `values`, within the scope (loaders).
pub async fn by_column<L: Listable>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    col: &str,
    values: &[Uuid],
) -> DbResult<Vec<L::Row>> {
    let mut q = Sql::new(&format!("SELECT t.* FROM {} t", L::TABLE));
    Where::start(&mut q, scope)
        .and(&format!("t.{col} = ANY("))
        .bind(Bind::Uuids(values.to_vec()))
        .push(")");
    q.push(&format!(" ORDER BY {}", order_by::<L>(&[])));
    q.fetch::<L::Row>(conn).await
}

/// One row by id within the scope, or `NotFound`.
pub async fn get<L: Listable>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> DbResult<L::Row> {
    by_column::<L>(conn, scope, "id", &[id])
        .await?
        .into_iter()
        .next()
        .ok_or(crate::DbError::NotFound)
}
