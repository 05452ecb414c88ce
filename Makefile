# Shortcuts for people who like make; dev.py does the work and needs only Python.
.PHONY: run test lint install worker fmt clean

run:
	python3 dev.py run
test:
	python3 dev.py test
lint:
	python3 dev.py lint
install:
	python3 dev.py install
fmt: install
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .
## A worker on another machine sharing a broker: BROKER_URL=redis://… make worker
worker: install
	.venv/bin/gongkai worker
clean:
	rm -rf .venv var
