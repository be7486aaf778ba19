/*
 * summary-reporter.mjs - a node:test reporter that writes one line per
 * top-level test, "PASS name" or "FAIL name", for tests/browser/run to turn
 * into cmocka-style summary lines.
 */
export default async function* summary(source) {
    for await (const event of source) {
        if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
        const d = event.data;
        if (d.nesting !== 0 || (d.details && d.details.type === 'suite')) continue;
        if (event.type === 'test:pass' && (d.skip || d.todo)) {
            yield `SKIP ${d.name}\n`;
            continue;
        }
        /* a failing before/after hook is reported against the file */
        yield `${event.type === 'test:pass' ? 'PASS' : 'FAIL'} ${d.name}\n`;
    }
}
