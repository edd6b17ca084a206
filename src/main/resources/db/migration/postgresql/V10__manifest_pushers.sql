-- Who first stored each manifest in its repository: the authenticated principal's name (a user,
-- robot$NAME, SUB@ISSUER), or NULL when it is not known (anonymous pushes, manifests stored before
-- this column, and manifests stored by promotion). A promotion's required-signatures gate with
-- not-by-pusher compares it with the owner of the signing key.
ALTER TABLE manifests ADD COLUMN pushed_by TEXT;
