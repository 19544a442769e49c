-- 023_instance_change_refusals: a state change (StartInstances,
-- StopInstances, RebootInstances, TerminateInstances and their REST
-- twins) refuses in its own statement, so that COMMIT can travel with it.
--
-- src/instances/lifecycle.c changes the states of the given instances
-- in one statement, which reads back, per instance found, its state
-- before and whether the action may move it.  The caller used to decide
-- the refusals in C from those rows (an unknown id, then the first
-- instance that may not move) and then write its audit row and COMMIT:
-- two round trips.  The statement now calls this function over the same
-- rows and raises the refusal itself, worded as before; the audit row
-- goes before the statement and COMMIT after it, in one round trip
-- (db_commit_with_next, src/core/db.c).  A refusal rolls all of it back.
--
-- ids are the caller's distinct ids in the caller's order; found_ids,
-- prevs and allowed are the rows of the instances found (any order;
-- NULL when none was: the aggregates of no rows).  verb is
-- the action's past participle for the message ("stopped").  Returns
-- true, or raises 404 InvalidInstanceID.NotFound (every unknown id, in
-- the caller's order) or 409 IncorrectInstanceState (the first instance
-- in the caller's order that may not move).

CREATE FUNCTION cloudsim.instance_change_check(ids text[], action text,
    verb text, found_ids text[], prevs text[], allowed boolean[])
RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    missing text;
    k integer;
BEGIN
    SELECT string_agg(format('''%s''', u.id), ', ' ORDER BY u.n)
      INTO missing
      FROM unnest(ids) WITH ORDINALITY AS u(id, n)
     WHERE NOT u.id = ANY (coalesce(found_ids, '{}'));
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION USING
            MESSAGE = CASE WHEN strpos(missing, ',') > 0
                THEN format('the instance ids %s do not exist', left(missing, 400))
                ELSE format('the instance id %s does not exist', left(missing, 400)) END,
            ERRCODE = 'P0001', HINT = 'InvalidInstanceID.NotFound', DETAIL = '404';
    END IF;
    FOR i IN 1 .. coalesce(array_length(ids, 1), 0) LOOP
        k := array_position(found_ids, ids[i]);
        IF NOT allowed[k] THEN
            RAISE EXCEPTION USING
                MESSAGE = CASE WHEN action = 'stop' AND prevs[k] = 'pending'
                    THEN format('the instance ''%s'' is ''pending'' and cannot be stopped before it has reached the ''running'' state', ids[i])
                    ELSE format('the instance ''%s'' is ''%s'' and cannot be %s', ids[i], prevs[k], verb) END,
                ERRCODE = 'P0001', HINT = 'IncorrectInstanceState', DETAIL = '409';
        END IF;
    END LOOP;
    RETURN true;
END
$$;
COMMENT ON FUNCTION cloudsim.instance_change_check(text[], text, text, text[], text[], boolean[]) IS
    'Raises 404 InvalidInstanceID.NotFound for the ids not found, else 409 IncorrectInstanceState for the first instance the action may not move; true otherwise (src/instances/lifecycle.c)';
REVOKE ALL ON FUNCTION cloudsim.instance_change_check(text[], text, text, text[], text[], boolean[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.instance_change_check(text[], text, text, text[], text[], boolean[]) TO cloudsim_app;
