-- Every column the synthesis reads of a study's accepted codings, in one index: the read of
-- 100k coded passages (Store::coded_passages) then scans the index and not the table
-- (BENCHMARKS.md, "Cross-site synthesis").
CREATE INDEX coding_passage ON coding(code_id, status, document_id, id, span_start, span_end,
                                      paragraph_first, paragraph_last, clause_first, clause_last);
