// SPDX-License-Identifier: GPL-2.0
/*
 * rec-format N text|json|file: format N synthetic per-call records the
 * way gtrace-run --records does (a mix of getppid, read, write, failing
 * close, mmap and openat over three threads), to /dev/null, through the
 * batch streams; "file" writes them as a records file instead. Run under
 * callgrind by bench/format-cost, which turns two runs' instruction
 * counts into a cost per record that does not depend on the machine's
 * load (Documentation/performance.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gtrace/trace.h>

int main(int argc, char **argv)
{
	static const unsigned short nrs[] = { 110, 0, 1, 3, 110, 110, 9, 257 };
	struct gt_records_writer *w = NULL;
	struct gt_records_header h = { .nr_rings = 2 };
	struct gt_records_trailer t = { 0 };
	struct gt_json_stream *js = NULL;
	struct gt_text_stream *ts = NULL;
	struct gtrace_record *r;
	size_t n, i, batch = 512;
	FILE *out;
	int err = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: rec-format N text|json|file\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	out = fopen("/dev/null", "w");
	r = calloc(n ? n : 1, sizeof(*r));
	if (!out || !r)
		return 4;
	for (i = 0; i < n; i++) {
		r[i].ts_ns = 22817558752ULL + i * 1234;
		r[i].dur_ns = 200 + i % 777;
		r[i].tid = 169 + i % 3;
		r[i].pid = 169;
		r[i].nr = nrs[i % 8];
		r[i].ret = r[i].nr == 3 ? -9 : r[i].nr == 9 ? 0x7f1234560000 : 169;
		r[i].args[0] = 3;
		r[i].args[1] = 0x7ffd12345678;
		r[i].args[2] = 4096;
	}
	if (!strcmp(argv[2], "json"))
		err = gt_json_stream_begin(out, &js);
	else if (!strcmp(argv[2], "text"))
		err = gt_text_stream_begin(out, 0, &ts);
	else
		err = gt_records_writer_begin(out, &h, &w);
	for (i = 0; i < n && !err; i += batch) {
		size_t k = n - i < batch ? n - i : batch;

		if (js)
			err = gt_json_stream_records(js, &r[i], k, sizeof(*r),
						     (unsigned int)(i / batch) % 2, NULL);
		else if (ts)
			err = gt_text_stream_records(ts, &r[i], k, sizeof(*r), NULL);
		else
			err = gt_records_writer_add(w, &r[i], k, sizeof(*r),
						    (unsigned int)(i / batch) % 2);
	}
	if (js)
		gt_json_stream_end(js, NULL, 0);
	if (ts)
		gt_text_stream_end(ts);
	if (w)
		err = err ? err : gt_records_writer_end(w, &t);
	fclose(out);
	free(r);
	return err ? 1 : 0;
}
