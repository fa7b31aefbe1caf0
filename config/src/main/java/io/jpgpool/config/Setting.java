package io.jpgpool.config;

/**
 * One parameter value read from a file (or given as an override).
 *
 * @param ref         parameter and node index (-1 = global form)
 * @param writtenName the name as written (lower case), which may be an old alias
 * @param value       parsed value
 * @param raw         the text it was parsed from
 * @param file        file name, or null
 * @param line        1-based line, or 0
 * @param seq         position among all assignments, to order warnings
 */
record Setting(Params.Ref ref, String writtenName, Object value, String raw, String file, int line, int seq) {
}
