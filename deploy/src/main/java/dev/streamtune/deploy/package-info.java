/**
 * Checks that keep the deployment files (Dockerfile, docker-compose.yml, deploy/prometheus, deploy/grafana,
 * deploy/k8s) in step with what they deploy: each service's application.yml (port, configuration keys and
 * environment placeholders), the entrypoint's main classes and heaps, the Dockerfile's stages and the launcher.
 *
 * <p>Each check reads already parsed files and returns {@link dev.streamtune.deploy.Problems}, one line per
 * mismatch naming the file and key, so that a test can show every problem at once and negative tests can feed
 * small broken inputs.
 */
package dev.streamtune.deploy;
