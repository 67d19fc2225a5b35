# syntax=docker/dockerfile:1
# credinject: one image for the webhook server (`serve`, the default) and the injected agent
# (`agent`). Build: docker build -t ghcr.io/credinject/credinject:<version> .
ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: compile TypeScript to dist/ ----------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the package's "prepare" script runs tsc, and the sources are not here yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies and dist/ only ---------------------------------------
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="credinject" \
      org.opencontainers.image.description="Admission webhooks and sidecar that inject credential Secrets into Kubernetes workloads" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/credinject/credinject"
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: "prepare" would run tsc, which --omit=dev does not install.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force
COPY --from=build /src/dist ./dist
# Numeric UID/GID, so that runAsNonRoot can be verified; the files stay root-owned (read-only).
USER 65532:65532
# A young generation of at most 8 MB per semi-space (V8's default grows it to 16 MB under load): a
# review's objects die young, so scavenges stay short and RSS under load drops by about 20 MB for
# the same CPU (bench/heapFlags.mjs, issue 17). bench/servers.mjs runs serve with these flags.
ENTRYPOINT ["node", "--max-semi-space-size=8", "/app/dist/cli/main.js"]
CMD ["serve"]
