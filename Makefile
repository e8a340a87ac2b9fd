# Operator shortcuts in the habits of the seed repository: every target runs the `vsa` CLI (or npm),
# nothing is done here that the CLI does not do. `make help` lists them.
#   make provision-container domain=shop.example.com container=shop port=3000 [nowww=true]
# Common variables: inventory=FILE (-i), limit=PATTERN (-l), args='--check --diff' (more flags).

VSA ?= node $(dir $(abspath $(lastword $(MAKEFILE_LIST))))bin/vsa.js

.DEFAULT_GOAL := help
.PHONY: help provision-container unprovision-container sync-vhosts check-certs renew-certs \
	add-basic-auth remove-basic-auth stack-up stack-lint playbooks history build lint format test test-unit

# $(call need,VAR): stop with the target's usage when VAR is not given.
need = $(if $($(1)),,$(error $(1)= is required: make $@ $(1)=...))
# A value as one shell word in single quotes, so nothing in it reaches the shell as syntax.
q = '$(subst ','\'',$(1))'
common = $(if $(inventory),-i $(call q,$(inventory))) $(if $(limit),-l $(call q,$(limit))) $(args)

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)$$/  \1\t\2/' | expand -t 26

provision-container: ## domain= container= port= [nowww=true] [external_port=]: vhosts, certificate, reload
	$(call need,domain)$(call need,port)
	$(VSA) site provision --domain $(call q,$(domain)) --port $(call q,$(port)) $(if $(container),--container $(call q,$(container))) $(if $(external_port),--external-port $(call q,$(external_port))) $(if $(filter true yes 1,$(nowww)),--no-www) $(common)

unprovision-container: ## domain= [remove_cert=true]: remove the vhosts, basic auth and site record
	$(call need,domain)
	$(VSA) site unprovision --domain $(call q,$(domain)) $(if $(filter true yes 1,$(remove_cert)),--remove-cert) $(common)

sync-vhosts: ## re-render every recorded site's vhosts; reload NGINX where they changed
	$(VSA) vhost sync $(common)

check-certs: ## issuer, expiry and days left of every certificate
	$(VSA) cert status $(common)

renew-certs: ## renew the certificates that are due
	$(VSA) cert renew $(common)

# The password never goes on a command line (ps, shell history): a file, VSA_AUTH_PASSWORD or a prompt.
add-basic-auth: ## domain= user= [password_file=]: add or update a basic-auth user
	$(call need,domain)$(call need,user)$(if $(password),$(error password= would show in ps and shell history: use password_file=FILE, VSA_AUTH_PASSWORD, or be prompted))
	$(VSA) auth add --domain $(call q,$(domain)) --user $(call q,$(user)) $(if $(password_file),--password-file $(call q,$(password_file))) $(common)

remove-basic-auth: ## domain= [user=]: remove one user, or basic auth altogether
	$(call need,domain)
	$(VSA) auth remove --domain $(call q,$(domain)) $(if $(user),--user $(call q,$(user))) $(common)

stack-up: ## name=: upload stacks/NAME, docker compose up, wait until healthy
	$(call need,name)
	$(VSA) stack up $(call q,$(name)) $(common)

stack-lint: ## the quality gates of every stack under stacks/
	$(VSA) stack lint

playbooks: ## the playbooks and their parameters
	$(VSA) playbooks

history: ## the recorded runs, newest first
	$(VSA) history

build: ## dist/ (CLI, types, playbooks) and the dashboard's web app
	npm run build && npm run build:web

lint: ## eslint
	npm run lint

format: ## prettier
	npm run format

test: ## the whole suite (build, typecheck, lint, unit, e2e; e2e needs root)
	npm test

test-unit: ## the unit tests only
	npm run test:unit
