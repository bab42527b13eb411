# syntax=docker/dockerfile:1
# Multi-stage build: SDK image builds and publishes, the ASP.NET runtime image runs.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig Ratatouille.sln ./
COPY src/ src/
COPY sdk/ sdk/
RUN dotnet restore src/Ratatouille.Server/Ratatouille.Server.csproj
RUN dotnet publish src/Ratatouille.Server/Ratatouille.Server.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://0.0.0.0:8000 \
    RATATOUILLE_DATA_DIR=/data \
    DOTNET_gcServer=0
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD wget -qO- http://127.0.0.1:8000/health/ready >/dev/null || exit 1
USER $APP_UID
ENTRYPOINT ["dotnet", "Ratatouille.Server.dll"]
