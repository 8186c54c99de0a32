# A thin front for scripts/ and the CMake presets. `make run` serves the store at http://localhost:8080;
# `make test` is what CI runs.
.PHONY: run cluster test build release web bench soak status clean fuzz

run: release web
	@exec scripts/launcher.py run

# The same binaries on three hosts (network namespaces) with Patroni, etcd, a NATS cluster and HAProxy.
cluster: release web
	@exec scripts/cluster.py run

test:
	@scripts/test

build:
	@scripts/bootstrap && cmake --preset dev >/dev/null && cmake --build --preset dev

release:
	@scripts/bootstrap && cmake --preset release >/dev/null && cmake --build --preset release

web:
	@if [ -f web/package.json ]; then cd web && npm run build --silent; fi

bench: release
	@bench/run-all

soak:
	@if [ -x tests/system/soak ]; then tests/system/soak; else echo "no soak scenarios yet"; fi

fuzz:
	@cmake --preset fuzz >/dev/null && cmake --build --preset fuzz --target http_request_fuzz json_body_fuzz premiere_admin_fuzz search_terms_fuzz && \
	  build/fuzz/tests/fuzz/http_request_fuzz -max_total_time=60 tests/fuzz/corpus/http_request && \
	  build/fuzz/tests/fuzz/json_body_fuzz -max_total_time=60 tests/fuzz/corpus/json_body && \
	  build/fuzz/tests/fuzz/premiere_admin_fuzz -max_total_time=60 tests/fuzz/corpus/premiere_admin && \
	  build/fuzz/tests/fuzz/search_terms_fuzz -max_total_time=60 tests/fuzz/corpus/search_terms

status:
	@scripts/launcher.py status

clean:
	rm -rf build web/dist
