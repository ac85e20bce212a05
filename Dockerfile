# Built on the current Node LTS; the service itself supports Node >= 20.19.
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schema ./schema
RUN npm run build && npm prune --omit=dev

FROM node:26-slim
# Production refuses to serve the demo emulator unless asked: for the demo, run with -e EMULATOR_IN_PRODUCTION=true
# (README, Docker). Service mode without a JWT key likewise needs SERVICE_MODE_WITHOUT_JWT=allow-all.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
USER node
EXPOSE 4000
CMD ["node", "dist/src/cli.js", "serve"]
