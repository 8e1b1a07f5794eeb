package dev.pitcrew.remediation.dependency.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.remediation.dependency.Edit;
import org.junit.jupiter.api.Test;

class PackageJsonTest {
  private static final String BEFORE =
      """
      {
        "name": "app",
        "dependencies": {
          "express": "^4.19.2",
          "zod": "^3.23.0"
        },
        "devDependencies": {
          "jest": "^29.7.0"
        }
      }
      """;

  @Test
  void insertsTheEntryWhereItSorts() throws Exception {
    Edit e = PackageJson.add(BEFORE, "dependencies", "lodash", "^4.17.21");
    assertThat(e.after())
        .isEqualTo(
            """
            {
              "name": "app",
              "dependencies": {
                "express": "^4.19.2",
                "lodash": "^4.17.21",
                "zod": "^3.23.0"
              },
              "devDependencies": {
                "jest": "^29.7.0"
              }
            }
            """);
  }

  @Test
  void appendsAfterTheLastEntryWithAComma() throws Exception {
    Edit e = PackageJson.add(BEFORE, "devDependencies", "mocha", "^10.4.0");
    assertThat(e.after()).contains("\"jest\": \"^29.7.0\",\n    \"mocha\": \"^10.4.0\"\n  }");
  }

  @Test
  void changesOnlyTheVersionString() throws Exception {
    Edit e = PackageJson.setVersion(BEFORE, "devDependencies", "jest", "^29.7.1");
    assertThat(e.after()).isEqualTo(BEFORE.replace("^29.7.0", "^29.7.1"));
  }

  @Test
  void readsTheLockedVersionFromALockfile() throws Exception {
    String lock =
        """
        {"lockfileVersion": 3, "packages": {"node_modules/lodash": {"version": "4.17.21"}}}
        """;
    assertThat(PackageJson.lockedVersion(lock, "lodash")).contains("4.17.21");
  }

  @Test
  void refusesInvalidJson() {
    assertThatThrownBy(() -> PackageJson.add("{ \"a\": ", "dependencies", "x", "1"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("not valid JSON");
  }
}
