import type { VisitorCatalogue } from './en.js';

export const fr: VisitorCatalogue = {
  launcherRegion: 'Chat',
  launcherOpen: 'Ouvrir le chat',
  launcherUnread: 'Ouvrir le chat ({n} non lus)',
  proactiveClose: 'Fermer le message',
  prechatConsent:
    'J’accepte que les informations données ici servent à me répondre, comme le décrit la politique de confidentialité.',
  handoff:
    'Je transmets cette conversation à une personne. Restez ici : quelqu’un de l’équipe vous répondra dans ce chat.',
  handoffAction: 'Parler à une personne',
  ratingPrompt: 'Comment nous en sommes-nous sortis ? Notez cette conversation de 1 à 5.',
  awayUntil:
    'Notre équipe est absente pour le moment. Quelqu’un vous répondra à partir de {day} à {time} ({zone}).',
  awayNoHours:
    'Notre équipe est absente pour le moment et n’a pas d’horaires prévus ; quelqu’un vous répondra dès que possible.',
  emailKnown: 'Nous avons votre adresse e-mail et vous répondrons aussi par ce biais.',
  emailOffer:
    'Si vous laissez votre adresse e-mail ici, nous vous répondrons aussi par e-mail. Elle ne sert qu’à répondre à cette demande.',
  emailThanks: 'Merci. Nous répondrons aussi à {email}.',
  chooseOption: 'Choisissez l’une des options ci-dessous.',
  skip: 'Passer',
  suggestions: 'Je ne suis pas sûr d’avoir la réponse. S’agit-il de l’un de ces sujets ?',
  noAnswer: 'Désolé, je n’ai pas trouvé de réponse. Reformulez votre question ou parlez à une personne.',
  retryEmail: 'Cela ne ressemble pas à une adresse e-mail. Écrivez-la comme nom@example.com.',
  retryPhone:
    'Cela ne ressemble pas à un numéro de téléphone. Utilisez des chiffres, éventuellement précédés de +.',
  retryOrderNumber:
    'Cela ne ressemble pas à un numéro de commande. Il compte de 3 à 40 lettres, chiffres ou tirets.',
  retryText: 'Répondez en {max} caractères au maximum.',
  mailSubjectReplies: 'Nouvelle réponse dans votre conversation',
  mailSubjectFollowUp: 'Une réponse dans votre conversation',
  mailSubjectTranscript: 'La transcription de votre conversation',
  mailIntroTranscript: 'Voici la transcription que vous avez demandée.',
  mailIntroAnswerByMail:
    'Vous avez une réponse dans votre conversation. Répondez à cet e-mail pour nous écrire.',
  mailIntroAnswerInChat:
    'Vous avez une réponse dans votre conversation. Ouvrez le chat sur le site pour nous écrire.',
  mailReplyMarker: '##- Écrivez votre réponse au-dessus de cette ligne -##',
  mailYou: 'Vous',
  mailFile: '[un fichier : ouvrez le chat pour le voir]',
  mailStop: 'Ne plus recevoir ces e-mails',
  callStartedAudio: '{agent} a lancé un appel vocal.',
  callStartedVideo: '{agent} a lancé un appel vidéo.',
  callAccepted: 'L’appel a été accepté.',
  callDeclined: 'L’appel a été refusé.',
  callMissed: 'Appel manqué.',
  callEnded: 'L’appel s’est terminé après {duration}.',
};
