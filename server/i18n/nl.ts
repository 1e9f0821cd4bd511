import type { VisitorCatalogue } from './en.js';

export const nl: VisitorCatalogue = {
  launcherRegion: 'Chat',
  launcherOpen: 'Chat openen',
  launcherUnread: 'Chat openen ({n} ongelezen)',
  proactiveClose: 'Bericht sluiten',
  prechatConsent:
    'Ik ga ermee akkoord dat de gegevens die ik hier geef worden gebruikt om mij te antwoorden, zoals het privacybeleid beschrijft.',
  handoff:
    'Ik geef dit gesprek door aan een medewerker. Blijf hier: iemand van het team antwoordt in deze chat.',
  handoffAction: 'Met een medewerker praten',
  ratingPrompt: 'Hoe hebben we het gedaan? Geef dit gesprek een cijfer van 1 tot 5.',
  awayUntil: 'Ons team is er nu niet. Iemand antwoordt vanaf {day} om {time} ({zone}).',
  awayNoHours:
    'Ons team is er nu niet en heeft geen openingstijden gepland; iemand antwoordt zo snel mogelijk.',
  emailKnown: 'We hebben je e-mailadres en antwoorden ook daar.',
  emailOffer:
    'Laat je hier je e-mailadres achter, dan antwoorden we ook per e-mail. We gebruiken het alleen om deze vraag te beantwoorden.',
  emailThanks: 'Bedankt. We antwoorden ook op {email}.',
  chooseOption: 'Kies een van de opties hieronder.',
  skip: 'Overslaan',
  suggestions: 'Ik weet niet zeker of ik het antwoord heb. Is het een van deze?',
  noAnswer: 'Sorry, ik heb daar geen antwoord op gevonden. Stel je vraag anders of praat met een medewerker.',
  retryEmail: 'Dat lijkt geen e-mailadres. Typ het zoals naam@example.com.',
  retryPhone: 'Dat lijkt geen telefoonnummer. Gebruik cijfers, eventueel beginnend met +.',
  retryOrderNumber: 'Dat lijkt geen bestelnummer. Het heeft 3 tot 40 letters, cijfers of streepjes.',
  retryText: 'Antwoord in maximaal {max} tekens.',
  mailSubjectReplies: 'Nieuw antwoord in je gesprek',
  mailSubjectFollowUp: 'Een antwoord in je gesprek',
  mailSubjectTranscript: 'Het verslag van je gesprek',
  mailIntroTranscript: 'Hier is het gespreksverslag dat je hebt gevraagd.',
  mailIntroAnswerByMail: 'Je hebt een antwoord in je gesprek. Beantwoord deze e-mail om terug te schrijven.',
  mailIntroAnswerInChat:
    'Je hebt een antwoord in je gesprek. Open de chat op de website om terug te schrijven.',
  mailReplyMarker: '##- Schrijf je antwoord boven deze regel -##',
  mailYou: 'Jij',
  mailFile: '[een bestand: open de chat om het te zien]',
  mailStop: 'Geen e-mails meer ontvangen',
  callStartedAudio: '{agent} is een spraakgesprek begonnen.',
  callStartedVideo: '{agent} is een videogesprek begonnen.',
  callAccepted: 'Het gesprek is aangenomen.',
  callDeclined: 'Het gesprek is geweigerd.',
  callMissed: 'Gemiste oproep.',
  callEnded: 'Het gesprek is na {duration} beëindigd.',
};
