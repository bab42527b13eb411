# syntax=docker/dockerfile:1
# Multi-stage build: SDK image builds and publishes, the ASP.NET runtime image runs.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig Ratatouille.sln ./
COPY src/ src/
COPY sdk/ sdk/
# The built-in plugins are built with the server and published next to it as plugins/<id>/<version>/.
COPY plugins/ plugins/
RUN dotnet restore src/Ratatouille.Server/Ratatouille.Server.csproj
RUN dotnet publish src/Ratatouille.Server/Ratatouille.Server.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://0.0.0.0:8000 \
    RATATOUILLE_DATA_DIR=/data \
    DOTNET_gcServer=0
VOLUME ["/data"]
# Installed plugins live in /data/plugins/<id>/<version>/; files to import go in a folder an admin
# opens with Plugins__ImportRoots__0 (compose mounts ./import at /import for that).
EXPOSE 8000
# No HEALTHCHECK here: the runtime image has neither curl nor wget. Orchestrators probe
# GET /health/live and GET /health/ready directly.
# Runs as root so a bind-mounted ./data owned by the host user is writable; to run as the
# image's non-root user instead, chown the data folder to 1654 and add `user: "1654"` in compose.
ENTRYPOINT ["dotnet", "Ratatouille.Server.dll"]
