package dev.sandboxkit.lifecycle.internal.controlplane;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Issue 17 finding 1: the owner decision from the process token's SIDs, with fake tokens. */
class TokenSidsTest {
  static final String ME = "S-1-5-21-1111111111-2222222222-3333333333-1001";
  /** A local account with the same name as ME's domain account: another SID. */
  static final String SAME_NAME_OTHER_DOMAIN = "S-1-5-21-4444444444-5555555555-6666666666-1001";
  /** An Entra ID (AzureAD) user. */
  static final String ENTRA = "S-1-12-1-1234567890-1234567890-1234567890-1234567890";
  static final TokenSids NORMAL = new TokenSids(ME, ME);
  static final TokenSids ELEVATED = new TokenSids(ME, TokenSids.ADMINISTRATORS);

  @Test
  void theTokenUserOwnsItsFiles() {
    assertTrue(NORMAL.owns(ME));
    assertTrue(new TokenSids(ENTRA, ENTRA).owns(ENTRA), "an Entra ID account by SID, no name lookup");
  }

  @Test
  void anAccountWithTheSameNameIsAnotherOwner() {
    assertFalse(NORMAL.owns(SAME_NAME_OTHER_DOMAIN));
  }

  /** Deliberately accepted: an elevated process creates its files owned by Administrators. */
  @Test
  void elevatedFilesOwnedByAdministratorsAreAccepted() {
    assertTrue(ELEVATED.owns(TokenSids.ADMINISTRATORS));
    assertTrue(ELEVATED.owns(ME));
    assertFalse(NORMAL.owns(TokenSids.ADMINISTRATORS), "not elevated: Administrators is another owner");
  }

  /** A token owner other than the user or Administrators is never trusted as an owner. */
  @Test
  void anOddTokenOwnerIsNotAccepted() {
    TokenSids odd = new TokenSids(ME, SAME_NAME_OTHER_DOMAIN);
    assertFalse(odd.owns(SAME_NAME_OTHER_DOMAIN));
    assertFalse(ELEVATED.owns("S-1-5-18"), "SYSTEM");
  }

  @Test
  void verifyOwnerRefusesNamingBothSids() {
    OwnershipException e = assertThrows(OwnershipException.class,
        () -> OwnerOnly.verifyOwner(Path.of("C:/x/oneshot"), SAME_NAME_OTHER_DOMAIN, NORMAL));
    assertTrue(e.getMessage().contains(SAME_NAME_OTHER_DOMAIN) && e.getMessage().contains(ME), e.getMessage());
    assertDoesNotThrow(() -> OwnerOnly.verifyOwner(Path.of("C:/x/oneshot"), TokenSids.ADMINISTRATORS, ELEVATED));
  }
}
