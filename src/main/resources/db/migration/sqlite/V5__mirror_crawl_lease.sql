-- Which node runs the periodic mirror crawl: one row, taken by a node for one crawl interval, so that
-- several nodes sharing this database crawl each mirror once per interval, not once per node.
CREATE TABLE mirror_crawl_lease (
    id          INTEGER NOT NULL,
    holder      TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL,
    CONSTRAINT mirror_crawl_lease_pk PRIMARY KEY (id),
    CONSTRAINT mirror_crawl_lease_single_row CHECK (id = 1)
);
