-- One row per conversation open now (fct_conversations.status = 'open'), with the same
-- features as ml_training__deal_close as of the data's newest event, for scoring.
with as_of as (

    {{ ml_as_of() }}

),

open_now as (

    select conversations.conversation_id, conversations.lead_id, as_of.as_of_at as cutoff_at
    from {{ ref('fct_conversations') }} as conversations
    cross join as_of
    where conversations.status = 'open'
        and conversations.lead_id is not null

),

{{ conversation_features_ctes('open_now') }}

select * from deal_features
