-- A deployment-log file's state was kept under the file's path; every stream's state is now
-- `<partition key>:<stream name>` (connectors/stream.ts), and a file's one stream is `lines`.
UPDATE stream_states SET stream = stream || ':lines' WHERE source = 'deploy_logs';
