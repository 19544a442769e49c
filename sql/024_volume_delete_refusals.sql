-- 024_volume_delete_refusals: DeleteVolume refuses in its own statement,
-- so that its lock, its audit row and COMMIT travel with it.
--
-- src/volumes/volumes.c deleted a volume in three round trips: the lock
-- (FOR UPDATE, which said 404 when it found nothing), the delete (a
-- fresh look at the state after the lock, which said why it could not
-- delete), then the audit row and COMMIT.  The lock now goes, unread,
-- in the pipeline of the delete, which still runs after it with a
-- fresh snapshot (READ COMMITTED takes one per statement); the delete
-- calls this function over what it saw and raises the refusal, worded
-- as volumes.c worded it; the audit row goes before and COMMIT after:
-- one round trip.  A refusal rolls all of it back.
--
-- state is the volume's state as v_volumes shows it to the caller's
-- account and region (NULL: no such volume there), instance_id the
-- instance it is attached to, if any.  Returns true when the volume may
-- be deleted (available), or raises 404 InvalidVolume.NotFound, 409
-- VolumeInUse or 400 IncorrectState.

CREATE FUNCTION cloudsim.volume_delete_check(volume_id text, state text,
    instance_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF state IS NULL THEN
        RAISE EXCEPTION USING
            MESSAGE = format('the volume ''%s'' does not exist', left(volume_id, 64)),
            ERRCODE = 'P0001', HINT = 'InvalidVolume.NotFound', DETAIL = '404';
    END IF;
    IF instance_id IS NOT NULL THEN
        RAISE EXCEPTION USING
            MESSAGE = format('the volume ''%s'' is attached to instance ''%s''; detach it first', volume_id, instance_id),
            ERRCODE = 'P0001', HINT = 'VolumeInUse', DETAIL = '409';
    END IF;
    IF state <> 'available' THEN
        RAISE EXCEPTION USING
            MESSAGE = format('the volume ''%s'' is ''%s''; only an available volume can be deleted', volume_id, state),
            ERRCODE = 'P0001', HINT = 'IncorrectState', DETAIL = '400';
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION cloudsim.volume_delete_check(text, text, text) IS
    'Raises 404 InvalidVolume.NotFound (no state), 409 VolumeInUse (attached) or 400 IncorrectState (not available); true otherwise (src/volumes/volumes.c)';
REVOKE ALL ON FUNCTION cloudsim.volume_delete_check(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.volume_delete_check(text, text, text) TO cloudsim_app;
