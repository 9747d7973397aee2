//! The diesel schema; mirrors `migrations/`.

diesel::table! {
    plans (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        monthly_credits -> Int8,
        price_cents -> Int8,
        features -> Jsonb,
        credit_costs -> Jsonb,
        is_default -> Bool,
        is_active -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    industries (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        description -> Text,
    }
}

diesel::table! {
    industry_sectors (id) {
        id -> Uuid,
        industry_id -> Uuid,
        slug -> Text,
        name -> Text,
        description -> Text,
    }
}

diesel::table! {
    accounts (id) {
        id -> Uuid,
        name -> Text,
        slug -> Text,
        status -> Text,
        plan_id -> Uuid,
        credits_balance -> Int8,
        credits_held -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        account_id -> Uuid,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        is_active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Uuid,
        account_id -> Uuid,
        plan_id -> Uuid,
        status -> Text,
        current_period_start -> Timestamptz,
        current_period_end -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    sites (id) {
        id -> Uuid,
        account_id -> Uuid,
        name -> Text,
        slug -> Text,
        domain -> Nullable<Text>,
        industry_id -> Nullable<Uuid>,
        is_active -> Bool,
        wp_url -> Nullable<Text>,
        wp_username -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sectors (id) {
        id -> Uuid,
        account_id -> Uuid,
        site_id -> Uuid,
        name -> Text,
        slug -> Text,
        industry_sector_id -> Nullable<Uuid>,
        is_active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    site_user_access (user_id, site_id) {
        account_id -> Uuid,
        user_id -> Uuid,
        site_id -> Uuid,
        granted_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        account_id -> Uuid,
        user_id -> Uuid,
        family_id -> Uuid,
        token_hash -> Bytea,
        expires_at -> Timestamptz,
        rotated_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    credit_transactions (id) {
        id -> Uuid,
        account_id -> Uuid,
        kind -> Text,
        amount -> Int8,
        balance_after -> Int8,
        description -> Text,
        reference -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(accounts -> plans (plan_id));
diesel::joinable!(users -> accounts (account_id));
diesel::joinable!(sites -> accounts (account_id));
diesel::joinable!(sectors -> sites (site_id));
diesel::joinable!(industry_sectors -> industries (industry_id));
diesel::joinable!(site_user_access -> sites (site_id));
diesel::joinable!(site_user_access -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    plans,
    industries,
    industry_sectors,
    accounts,
    users,
    subscriptions,
    sites,
    sectors,
    site_user_access,
    refresh_tokens,
    credit_transactions,
);
