# syntax=docker/dockerfile:1
# One Dockerfile, one image per service:
#   docker build -f docker/service.Dockerfile --build-arg APP=api-service --build-arg PORT=8000 -t customer-sync/api-service:0.1.0 .
# APP is an app under apps/ (api-service, webhook-ingress, stripe-sync-worker, db-writer, stripe-emulator).
# Every image also carries the migration command (dist/tools/migrate.js), the reconcile command and,
# once apps/cli exists, the operator CLI as `customer-sync` on the PATH.

# Only the package manifests of the workspace: the dependency layers below are rebuilt when a manifest
# changes, not when a source file does (BuildKit compares what is copied, not how it was produced).
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY apps apps
COPY libs libs
RUN find apps libs -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

# Production dependencies, installed before any source is copied.
FROM node:20-bookworm-slim AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=manifests /src ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

# The whole toolchain, installed before any source is copied; then the esbuild bundles.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=manifests /src ./
RUN npm ci --no-audit --no-fund
COPY nx.json tsconfig.base.json tsconfig.json ./
COPY apps apps
COPY libs libs
ARG APP
RUN test -n "$APP" && test -f "apps/$APP/src/main.ts"
ENV BUNDLE="--bundle --platform=node --target=node20 --packages=external --sourcemap"
RUN npx esbuild "apps/$APP/src/main.ts" $BUNDLE --outfile=dist/service/main.js \
 && npx esbuild libs/db/src/cli/migrate.ts $BUNDLE --outfile=dist/tools/migrate.js \
 && npx esbuild apps/db-writer/src/commands/reconcile.ts $BUNDLE --outfile=dist/tools/reconcile.js \
 && if [ -f apps/cli/src/main.ts ]; then npx esbuild apps/cli/src/main.ts $BUNDLE --outfile=dist/cli/main.js; fi

FROM node:20-bookworm-slim
# tini as PID 1: it forwards SIGTERM to node (which then drains) and reaps children.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=runtime-deps /app/node_modules node_modules
COPY --from=build /app/dist dist
RUN if [ -f dist/cli/main.js ]; then printf '#!/bin/sh\nexec node --enable-source-maps /app/dist/cli/main.js "$@"\n' > /usr/local/bin/customer-sync \
      && chmod 755 /usr/local/bin/customer-sync; fi
ARG APP
ARG PORT
ENV NODE_ENV=production PORT=${PORT} SERVICE=${APP}
# The node user of the base image (uid 1000); Kubernetes runs it with a read-only root filesystem.
USER 1000:1000
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
# --no-warnings: Node's own warning printer is off; the service logs warnings as JSON instead.
CMD ["node", "--enable-source-maps", "--no-warnings", "dist/service/main.js"]
