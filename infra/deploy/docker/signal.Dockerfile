# The signal service. Build from the repository root:
#   docker build -f infra/deploy/docker/signal.Dockerfile -t polyphony/signal .
# Not built on the project's machines (no Docker there); see docs/deploy.md.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN npm install --global pnpm@12.21.0
COPY . .
RUN pnpm install --frozen-lockfile --prod --filter @polyphony/signal...

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app /app
USER 1000:1000
EXPOSE 4000
# Migrations run at start; SIGTERM drains (stop_grace_period / terminationGracePeriodSeconds).
CMD ["node", "--import", "tsx", "apps/signal/src/server.ts"]
