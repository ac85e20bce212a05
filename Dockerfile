# syntax=docker/dockerfile:1
# profit-subgraph: the GraphQL subgraph in front of AFAS Profit (docs/docker.md).
# Built on the current Node LTS; the service itself supports Node >= 20.19.
ARG NODE_IMAGE=node:26-slim

# Production dependencies only (no test packages, no TypeScript): what the final image ships.
# --ignore-scripts: the package's `prepare` builds, which needs the sources and the build stage's tools.
FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# The compiled service (dist/), built with the development dependencies, which stay in this stage.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE}
# Set by the build: docker build --build-arg VERSION=… --build-arg REVISION=$(git rev-parse HEAD) --build-arg CREATED=….
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG NODE_IMAGE
LABEL org.opencontainers.image.title="profit-subgraph" \
      org.opencontainers.image.description="A GraphQL Federation 2 subgraph in front of AFAS Profit, with a Profit emulator" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
# Production refuses to serve the demo emulator unless asked: for the demo, run with -e EMULATOR_IN_PRODUCTION=true
# (compose.yaml does). Service mode without a JWT key likewise needs SERVICE_MODE_WITHOUT_JWT=allow-all.
# SHUTDOWN_DELAY_MS is 5000 with NODE_ENV=production: /ready answers 503 that long after SIGTERM, still serving.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=dependencies /app/package.json ./
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY schema ./schema
# The image's own user (uid 1000, from the node image), never root; it owns nothing it could rewrite.
USER node
EXPOSE 4000
# The slim image has no curl: Node's fetch asks /health (liveness: the process answers) on the port it serves.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT||4000}/health`,{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 (exec form, no shell): it gets the signal itself and runs the pre-stop grace, then exits 0.
STOPSIGNAL SIGTERM
# V8 flags: src/server/runtime-flags.ts (a larger young generation: less CPU spent collecting per request).
CMD ["node", "--max-semi-space-size=64", "--heap-growing-percent=100", "dist/src/cli.js", "serve"]
