-- Data-quality figures of the source identities, per source and overall (source = 'all'),
-- from the hygiene asset's output. Duplicates are identities that share a phone key or an
-- e-mail key with another identity (of any source): what identity resolution must merge.
with identities as (

    select * from {{ ref('stg_hygiene__clean_identities') }}

),

phone_groups as (

    select phone_key, count(*) as identity_count
    from identities
    where phone_key is not null
    group by 1

),

email_groups as (

    select email_key, count(*) as identity_count
    from identities
    where email_key is not null
    group by 1

),

flagged as (

    select
        identities.source,
        identities.cleaned_at,
        identities.fix_count,
        identities.issue_count,
        case when identities.phone_raw is not null then 1 else 0 end as has_phone,
        case when identities.phone_valid then 1 else 0 end as has_valid_phone,
        case when identities.email_raw is not null then 1 else 0 end as has_email,
        case when identities.email_valid then 1 else 0 end as has_valid_email,
        case
            when coalesce(phone_groups.identity_count, 1) > 1
                or coalesce(email_groups.identity_count, 1) > 1
                then 1
            else 0
        end as is_duplicate,
        -- incomplete: no usable name, or no valid way to reach the person
        case
            when identities.name_match is null
                or not (identities.phone_valid or identities.email_valid)
                then 1
            else 0
        end as is_incomplete
    from identities
    left join phone_groups on identities.phone_key = phone_groups.phone_key
    left join email_groups on identities.email_key = email_groups.email_key

),

counted as (

    select
        case when grouping(source) = 1 then 'all' else source end as source,
        count(*) as identity_count,
        sum(has_phone) as phone_count,
        sum(has_valid_phone) as valid_phone_count,
        sum(has_email) as email_count,
        sum(has_valid_email) as valid_email_count,
        sum(is_duplicate) as duplicate_count,
        sum(is_incomplete) as incomplete_count,
        sum(case when fix_count > 0 then 1 else 0 end) as fixed_identity_count,
        sum(fix_count) as fix_count,
        sum(issue_count) as issue_count,
        max(cleaned_at) as cleaned_at
    from flagged
    group by grouping sets ((source), ())
    -- no identities yet: no row, rather than an `all` row of nulls
    having count(*) > 0

),

final as (

    select
        source,
        identity_count,
        phone_count,
        valid_phone_count,
        round(cast(valid_phone_count as numeric) / nullif(phone_count, 0), 4)
            as valid_phone_share,
        email_count,
        valid_email_count,
        round(cast(valid_email_count as numeric) / nullif(email_count, 0), 4)
            as valid_email_share,
        duplicate_count,
        round(cast(duplicate_count as numeric) / nullif(identity_count, 0), 4)
            as duplicate_share,
        incomplete_count,
        round(cast(incomplete_count as numeric) / nullif(identity_count, 0), 4)
            as incomplete_share,
        fixed_identity_count,
        fix_count,
        issue_count,
        cleaned_at
    from counted

)

select * from final
