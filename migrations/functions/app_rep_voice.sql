-- What a rep's accepted drafts (their account's owner's) say about them, read once per run: the tone they accept most
-- (ties: the one accepted last) and the texts they edited before accepting, newest first.
drop function if exists public.app_rep_voice;
create function public.app_rep_voice(p_portal_id bigint, p_owner text, p_examples integer)
returns jsonb
language sql stable
as $$
    with accepted as (
        select d.tone, d.final_text, d.edit_distance, d.accepted_at
        from public.ai_generated_drafts d
        join public.ai_processing_logs l on l.id = d.run_id
        where l.hubspot_portal_id = p_portal_id and l.hubspot_owner_id = p_owner
          and d.accepted_at is not null
        order by d.accepted_at desc
        limit 200
    )
    select jsonb_build_object(
        'preferred_tone', (select tone from accepted group by tone
                           order by count(*) desc, max(accepted_at) desc limit 1),
        'examples', coalesce((select jsonb_agg(final_text order by accepted_at desc)
                              from (select * from accepted where edit_distance > 0
                                    order by accepted_at desc limit p_examples) edited),
                             '[]'::jsonb)
    )
$$;

revoke execute on function public.app_rep_voice from public, anon, authenticated;
grant execute on function public.app_rep_voice to service_role;
