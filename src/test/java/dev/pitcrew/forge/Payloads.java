package dev.pitcrew.forge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The real webhook payloads under src/test/resources/webhooks (see the README there). */
public final class Payloads {
  public static final ObjectMapper JSON = new ObjectMapper();

  private Payloads() {}

  public static ObjectNode load(String path) {
    try (InputStream in = Payloads.class.getResourceAsStream("/webhooks/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture webhooks/" + path);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GitHub's completed workflow_run example with the given conclusion. */
  public static ObjectNode workflowRun(String conclusion) {
    ObjectNode p = load("github/workflow_run/01_completed.json");
    ((ObjectNode) p.get("workflow_run")).put("conclusion", conclusion);
    return p;
  }

  /** GitLab's Pipeline Hook example with the given status. */
  public static ObjectNode pipeline(String status) {
    ObjectNode p = load("gitlab/pipeline_hook.json");
    ((ObjectNode) p.get("object_attributes")).put("status", status);
    return p;
  }

  public static byte[] bytes(Object node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
