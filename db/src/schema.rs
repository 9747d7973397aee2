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
        currency -> Text,
        billing_cycle -> Text,
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
        plan_credits -> Int8,
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
        email_verified_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    user_tokens (id) {
        id -> Uuid,
        account_id -> Uuid,
        user_id -> Uuid,
        purpose -> Text,
        token_hash -> Bytea,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    invitations (id) {
        id -> Uuid,
        account_id -> Uuid,
        email -> Text,
        name -> Text,
        role -> Text,
        site_ids -> Array<Uuid>,
        invited_by -> Nullable<Uuid>,
        token_hash -> Bytea,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
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
        pending_plan_id -> Nullable<Uuid>,
        stripe_subscription_id -> Nullable<Text>,
        past_due_since -> Nullable<Timestamptz>,
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
        plan_amount -> Int8,
        purchased_amount -> Int8,
        seq -> Int8,
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
    seed_keywords,
    clusters,
    keywords,
    content_ideas,
    tasks,
    contents,
    images,
    ai_jobs,
    credit_usage_logs,
    author_profiles,
    strategies,
    prompt_overrides,
    integration_settings,
);

diesel::table! {
    seed_keywords (id) {
        id -> Uuid,
        industry_sector_id -> Uuid,
        keyword -> Text,
        volume -> Nullable<Int8>,
        difficulty -> Nullable<Int4>,
        intent -> Nullable<Text>,
    }
}

diesel::table! {
    clusters (id) {
        id -> Uuid,
        account_id -> Uuid,
        site_id -> Uuid,
        sector_id -> Uuid,
        name -> Text,
        description -> Text,
        status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        description_generated -> Bool,
    }
}

diesel::table! {
    keywords (id) {
        id -> Uuid,
        account_id -> Uuid,
        site_id -> Uuid,
        sector_id -> Uuid,
        keyword -> Text,
        keyword_key -> Text,
        volume -> Nullable<Int8>,
        difficulty -> Nullable<Int4>,
        intent -> Nullable<Text>,
        status -> Text,
        cluster_id -> Nullable<Uuid>,
        seed_keyword_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    content_ideas (id) {
        id -> Uuid,
        account_id -> Uuid,
        site_id -> Uuid,
        sector_id -> Uuid,
        cluster_id -> Nullable<Uuid>,
        title -> Text,
        description -> Text,
        content_type -> Text,
        content_structure -> Text,
        outline -> Jsonb,
        target_keywords -> Array<Text>,
        estimated_word_count -> Int4,
        status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tasks (id) {
        id -> Uuid,
        account_id -> Uuid,
        site_id -> Uuid,
        sector_id -> Uuid,
        cluster_id -> Nullable<Uuid>,
        idea_id -> Nullable<Uuid>,
        title -> Text,
        description -> Text,
        target_keywords -> Array<Text>,
        content_type -> Text,
        content_structure -> Text,
        status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    contents (id) {
        id -> Uuid,
        account_id -> Uuid,
        site_id -> Uuid,
        sector_id -> Uuid,
        task_id -> Uuid,
        html -> Text,
        word_count -> Int4,
        status -> Text,
        meta_title -> Nullable<Text>,
        meta_description -> Nullable<Text>,
        primary_keyword -> Nullable<Text>,
        secondary_keywords -> Array<Text>,
        wp_post_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    images (id) {
        id -> Uuid,
        account_id -> Uuid,
        site_id -> Uuid,
        sector_id -> Uuid,
        task_id -> Uuid,
        content_id -> Nullable<Uuid>,
        image_type -> Text,
        prompt -> Text,
        storage_key -> Nullable<Text>,
        url -> Nullable<Text>,
        position -> Int4,
        status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    ai_jobs (id) {
        id -> Uuid,
        account_id -> Uuid,
        user_id -> Nullable<Uuid>,
        site_id -> Nullable<Uuid>,
        kind -> Text,
        payload -> Jsonb,
        status -> Text,
        phase -> Text,
        attempt -> Int4,
        deliveries -> Int4,
        lease_token -> Nullable<Uuid>,
        lease_expires_at -> Nullable<Timestamptz>,
        run_after -> Timestamptz,
        percent -> Int4,
        items_done -> Int4,
        items_total -> Int4,
        message -> Text,
        error -> Nullable<Text>,
        raw_output -> Nullable<Jsonb>,
        result -> Nullable<Jsonb>,
        model -> Nullable<Text>,
        tokens_in -> Int4,
        tokens_out -> Int4,
        cost_micro_usd -> Int8,
        credits_held -> Int8,
        credits_charged -> Int8,
        cancel_requested -> Bool,
        seq -> Int8,
        enqueued_at -> Timestamptz,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    credit_usage_logs (id) {
        id -> Uuid,
        account_id -> Uuid,
        site_id -> Nullable<Uuid>,
        job_id -> Uuid,
        operation -> Text,
        credits -> Int8,
        model -> Nullable<Text>,
        tokens_in -> Int4,
        tokens_out -> Int4,
        cost_micro_usd -> Int8,
        related_type -> Nullable<Text>,
        related_ids -> Array<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    author_profiles (id) {
        id -> Uuid,
        account_id -> Uuid,
        name -> Text,
        description -> Text,
        tone -> Text,
        language -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    strategies (id) {
        id -> Uuid,
        account_id -> Uuid,
        site_id -> Nullable<Uuid>,
        sector_id -> Nullable<Uuid>,
        name -> Text,
        description -> Text,
        prompt_types -> Array<Text>,
        section_logic -> Text,
        is_active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    prompt_overrides (account_id, function) {
        account_id -> Uuid,
        function -> Text,
        template -> Text,
        updated_by -> Nullable<Uuid>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    integration_settings (account_id) {
        account_id -> Uuid,
        text_provider -> Nullable<Text>,
        image_provider -> Nullable<Text>,
        openai_base_url -> Nullable<Text>,
        openai_api_key -> Nullable<Bytea>,
        openai_key_hint -> Nullable<Text>,
        runware_api_key -> Nullable<Bytea>,
        runware_key_hint -> Nullable<Text>,
        models -> Jsonb,
        updated_by -> Nullable<Uuid>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    staff_members (user_id) {
        user_id -> Uuid,
        account_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Uuid,
        account_id -> Uuid,
        actor_user_id -> Nullable<Uuid>,
        actor_email -> Text,
        action -> Text,
        reason -> Nullable<Text>,
        before -> Jsonb,
        after -> Jsonb,
        created_at -> Timestamptz,
    }
}
